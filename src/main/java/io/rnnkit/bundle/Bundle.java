package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.AtomicFiles;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlTrees;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.serializer.NormalizerSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The saved model (docs/architecture.md, "The bundle format"): one zip in DL4J's ModelSerializer layout (so DL4J's own tools still open
 * it) with rnnkit's entries under {@code rnnkit/}: the resolved config, the input contract, the provenance,
 * and a manifest holding the format version and the SHA-256 of every other entry. Written to a temporary
 * file beside the target and moved into place, so a crash never leaves a half-written bundle where a good one stood.
 *
 * <p>Format versions, each still read:
 * <ol>
 *   <li>the layout above;</li>
 *   <li>the contract adds feature names, the fixed-length flag and a forecaster's windows; the provenance adds
 *       the config's git commit ({@link FormatVersion1} recovers what it can of these for version 1);</li>
 *   <li>the contract adds the input vocabulary of a model that reads symbols (a text classifier reads raw text
 *       with it, a sequence-to-sequence model its source) and a forecaster's strategy (direct or recursive); a
 *       version-2 contract reads them as absent: no vocabulary, direct forecasts.</li>
 * </ol>
 */
public record Bundle(MultiLayerNetwork network, DataNormalization normalizer, ExperimentConfig config, InputContract contract,
                     Provenance provenance) {
    public static final int FORMAT_VERSION = 3;
    static final String MANIFEST = "rnnkit/manifest.json";
    static final String NORMALIZER = "normalizer.bin";
    static final String CONFIG = "rnnkit/config.yaml";
    static final String CONTRACT = "rnnkit/contract.json";
    static final String PROVENANCE = "rnnkit/provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the bundle to {@code target} atomically: DL4J's own entries first, exactly as ModelSerializer
     * writes them, then rnnkit's, then the manifest with the SHA-256 of everything before it. The zip has no
     * directory entries, which ModelSerializer's reader rejects.
     */
    public void write(Path target) {
        AtomicFiles.write(target, temp -> {
            ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, dl4j, false);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4j.toByteArray()))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
            if (normalizer != null) {
                // ModelSerializer.writeModel(..., normalizer) fails in DL4J M2.1 ("flush() failed: stream is closed");
                // restoreNormalizerFromFile reads this entry, written in NormalizerSerializer's format
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                NormalizerSerializer.getDefault().write(normalizer, bytes);
                entries.put(NORMALIZER, bytes.toByteArray());
            }
            entries.put(CONFIG, YamlTrees.toYaml(config).getBytes(StandardCharsets.UTF_8));
            entries.put(CONTRACT, JSON.writeValueAsBytes(contract));
            entries.put(PROVENANCE, JSON.writeValueAsBytes(provenance));
            Map<String, String> checksums = new TreeMap<>();
            entries.forEach((name, bytes) -> checksums.put(name, sha256(bytes)));
            entries.put(MANIFEST, JSON.writeValueAsBytes(new Manifest("rnnkit-bundle", FORMAT_VERSION, checksums)));
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(temp))) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    out.putNextEntry(new ZipEntry(e.getKey()));
                    out.write(e.getValue());
                    out.closeEntry();
                }
            }
        });
    }

    /** A bundle as read, with the manifest it was verified against (which says its format version). */
    public record Loaded(Bundle bundle, Manifest manifest) {
    }

    /** Reads and verifies a bundle; every fault is a {@link BundleException} naming the file and what is wrong. */
    public static Bundle read(Path file) {
        return load(file).bundle();
    }

    /** {@link #read}, keeping the manifest. */
    public static Loaded load(Path file) {
        return load(file, file.toString());
    }

    /**
     * Reads a bundle from a stream (a class-path resource, a download), which is copied to a temporary file
     * first because DL4J's reader and the checksums need random access; messages call it {@code source}.
     */
    public static Loaded load(InputStream in, String source) {
        Path temp = null;
        try {
            temp = Files.createTempFile("rnnkit-bundle", ".zip");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            return load(temp, source);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot be read: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover file in the temporary directory is harmless
                }
            }
        }
    }

    private static Loaded load(Path file, String source) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(source + ": no such bundle");
        }
        Manifest manifest = verify(file, source);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String yaml = new String(entry(zip, source, CONFIG), StandardCharsets.UTF_8);
            ExperimentConfig config;
            try {
                config = ConfigLoader.parseSaved(yaml, source + "!/" + CONFIG);
            } catch (ConfigException e) {
                throw new BundleException(source + ": its config does not load in this rnnkit: " + e.getMessage(), e);
            }
            byte[] contractJson = entry(zip, source, CONTRACT);
            InputContract contract = manifest.formatVersion() == 1
                    ? FormatVersion1.upgrade(JSON.readValue(contractJson, FormatVersion1.Contract.class), config)
                    : JSON.readValue(contractJson, InputContract.class);
            Provenance provenance = JSON.readValue(entry(zip, source, PROVENANCE), Provenance.class);
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            DataNormalization normalizer = manifest.entries().containsKey(NORMALIZER)
                    ? ModelSerializer.restoreNormalizerFromFile(file.toFile()) : null;
            return new Loaded(new Bundle(network, normalizer, config, contract, provenance), manifest);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot be read as an rnnkit bundle: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof BundleException) {
                throw e;
            }
            throw new BundleException(source + ": the network in the bundle cannot be restored: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new BundleException(source + ": the normalizer in the bundle cannot be restored: " + e.getMessage(), e);
        }
    }

    /** The manifest, after checking the format version and every entry's checksum. */
    public static Manifest verify(Path file) {
        return verify(file, file.toString());
    }

    private static Manifest verify(Path file, String source) {
        Manifest manifest;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            manifest = JSON.readValue(entry(zip, source, MANIFEST), Manifest.class);
        } catch (ZipException | NoSuchFileException e) {
            throw new BundleIntegrityException(source + ": not a bundle (not a readable zip file: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BundleIntegrityException(source + ": unreadable manifest " + MANIFEST + ": " + e.getMessage(), e);
        }
        if (!"rnnkit-bundle".equals(manifest.format())) {
            throw new BundleException(source + ": not an rnnkit bundle (format '" + manifest.format() + "')");
        }
        if (manifest.formatVersion() > FORMAT_VERSION) {
            throw new BundleVersionException(source, manifest.formatVersion());
        }
        Map<String, String> actual;
        try {
            actual = checksums(file);
        } catch (IOException e) {
            throw new BundleIntegrityException(source + ": corrupt or truncated zip: " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> expected : manifest.entries().entrySet()) {
            String got = actual.get(expected.getKey());
            if (got == null) {
                throw new BundleIntegrityException(source + ": entry " + expected.getKey() + " listed in the manifest is missing");
            }
            if (!got.equals(expected.getValue())) {
                throw new BundleIntegrityException(source + ": entry " + expected.getKey()
                        + " fails its SHA-256 check (corrupt or modified)");
            }
        }
        for (String name : actual.keySet()) {
            if (!manifest.entries().containsKey(name)) {
                throw new BundleIntegrityException(source + ": entry " + name + " is not in the manifest (the bundle was modified)");
            }
        }
        return manifest;
    }

    private static byte[] entry(ZipFile zip, String source, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new BundleIntegrityException(source + ": missing entry " + name + " (not an rnnkit bundle, or a damaged one)");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    /** SHA-256 of every entry but the manifest, by name. */
    static Map<String, String> checksums(Path file) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || e.getName().equals(MANIFEST)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName(), sha256(in.readAllBytes()));
                }
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundle's table of contents. */
    public record Manifest(String format, int formatVersion, Map<String, String> entries) {
    }

}
