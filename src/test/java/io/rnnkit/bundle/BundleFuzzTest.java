package io.rnnkit.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.Fuzzing;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Coverage-guided fuzzing of the bundle loader (README, Fuzzing): a bundle from anywhere must load or be refused
 * with a {@link BundleException}. Regression mode (every test run) replays the inputs in
 * {@code BundleFuzzTestInputs/<method>/}.
 */
class BundleFuzzTest {
    /** A small classifier of the current format (a standardizing normalizer, one LSTM of 3 units), the base of {@link #entry}. */
    private static final String BASE = "BundleFuzzTestInputs/zip/classifier-format3.zip";
    /**
     * What {@link #entry} may replace: the base's entries, the manifest itself (then not recomputed), and entries
     * DL4J's reader looks for that rnnkit never writes.
     */
    private static final List<String> ENTRIES = List.of("configuration.json", "coefficients.bin", "normalizer.bin", "rnnkit/config.yaml",
            "rnnkit/contract.json", "rnnkit/provenance.json", Bundle.MANIFEST, "updaterState.bin", "preprocessor.bin");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, byte[]> base;

    /** ND4J's native start (seconds) is not the first input's time: a real load first. */
    @BeforeAll
    static void loadOnce() {
        RnnModel.load(BundleFuzzTest.class.getResourceAsStream(BASE));
    }

    /** The input is the bundle file, as {@code rnnkit predict --model FILE} reads it. */
    @FuzzTest(maxDuration = "5m")
    void zip(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        Path file = Fuzzing.write("model.zip", input);
        Fuzzing.resultOrRefusal(() -> RnnModel.load(file), file.toString());
    }

    /**
     * The base bundle with one entry replaced and a manifest whose checksums match, as anyone who edits a bundle
     * can write: the first byte picks the entry in {@link #ENTRIES} ({@code '0'} the first...), the rest is its
     * content. This reaches the readers behind the checksums, which fuzzing whole zips seldom gets past.
     */
    @FuzzTest(maxDuration = "5m")
    void entry(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        String name = ENTRIES.get(input.length == 0 ? 0 : Math.floorMod(input[0] - '0', ENTRIES.size()));
        Map<String, byte[]> entries = new LinkedHashMap<>(base());
        entries.remove(Bundle.MANIFEST);
        entries.put(name, input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length));
        if (!name.equals(Bundle.MANIFEST)) {
            entries.put(Bundle.MANIFEST, manifest(entries));
        }
        Path file = Fuzzing.write("edited.zip", SavedFile.zip(entries));
        Fuzzing.resultOrRefusal(() -> RnnModel.load(file), file.toString());
    }

    private static synchronized Map<String, byte[]> base() {
        if (base == null) {
            base = new LinkedHashMap<>();
            try (InputStream in = BundleFuzzTest.class.getResourceAsStream(BASE); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    base.put(e.getName(), zip.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return base;
    }

    /** The manifest of format 3 for {@code entries}: the SHA-256 of each. */
    private static byte[] manifest(Map<String, byte[]> entries) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Map<String, String> checksums = new TreeMap<>();
            entries.forEach((name, bytes) -> checksums.put(name, HexFormat.of().formatHex(sha.digest(bytes))));
            return JSON.writeValueAsBytes(Map.of("format", "rnnkit-bundle", "formatVersion", 3, "entries", checksums));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
