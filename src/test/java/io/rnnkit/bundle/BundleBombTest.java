package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zip bombs, loaded by an application in its own JVM with a 256 MB heap: a gigabyte of zeros in 7 MB, as an entry
 * the format does not have, as the network's coefficients (listed in the manifest; over the size limit), and as
 * coefficients whose headers claim the honest size; half a gigabyte as the normalizer (under the size limit, over
 * the ratio limit). Each is refused with a {@link BundleIntegrityException} within seconds, without
 * ever holding the gigabyte: rnnkit reads the declared sizes and ratio first, and inflates no further than declared.
 */
class BundleBombTest {
    private static final String APP = """
            import io.rnnkit.bundle.RnnModel;

            import java.nio.file.Path;

            public class LoadBombs {
                public static void main(String[] args) {
                    for (String file : args) {
                        long start = System.nanoTime();
                        String outcome;
                        try {
                            RnnModel.load(Path.of(file));
                            outcome = "loaded";
                        } catch (Throwable e) {
                            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                        }
                        System.out.println((System.nanoTime() - start) / 1_000_000 + " ms " + outcome);
                    }
                }
            }
            """;
    /** 1 + 258 · 4 161 601 = 1 073 693 059 zeros. */
    private static final long COPIES = 4_161_601;
    /** 516 000 001 zeros. */
    private static final long HALF = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void gigabyteBombsAreRefusedInSecondsWithinASmallHeap() throws Exception {
        Map<String, byte[]> honest = CraftedZip.entries(TrainedModels.classifier().bundle());
        int coefficientsSize = honest.get("coefficients.bin").length;
        CraftedZip.Entry zeros = CraftedZip.zeros("coefficients.bin", COPIES);
        CraftedZip.Entry halfZeros = CraftedZip.zeros("normalizer.bin", HALF);

        List<CraftedZip.Entry> unlisted = CraftedZip.honest(honest);
        unlisted.add(0, CraftedZip.zeros("padding.bin", COPIES));
        // the manifest lists the bomb (its checksum need not match: it is refused before it is inflated)
        Map<String, byte[]> listedEntries = new LinkedHashMap<>(honest);
        listedEntries.put("rnnkit/manifest.json", new String(honest.get("rnnkit/manifest.json"))
                .replaceAll("(\"(coefficients|normalizer).bin\" : \")[0-9a-f]+", "$1" + "0".repeat(64)).getBytes());
        List<CraftedZip.Entry> listed = new ArrayList<>();
        List<CraftedZip.Entry> ratio = new ArrayList<>();
        List<CraftedZip.Entry> lying = new ArrayList<>();
        for (CraftedZip.Entry e : CraftedZip.honest(listedEntries)) {
            boolean coefficients = e.localName().equals("coefficients.bin");
            listed.add(coefficients ? zeros : e);
            lying.add(coefficients ? zeros.claimedSize(coefficientsSize) : e);
            ratio.add(e.localName().equals("normalizer.bin") ? halfZeros : e);
        }
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, List<CraftedZip.Entry>> bomb : Map.of("unlisted", unlisted, "listed", listed, "ratio", ratio,
                "lying", lying).entrySet()) {
            Path file = Files.write(dir.resolve(bomb.getKey() + ".zip"), CraftedZip.build(bomb.getValue()));
            assertTrue(Files.size(file) < 8_000_000, file + " is a small file");
            files.add(file.toString());
        }

        Path app = dir.resolve("app");
        ExternalJava.compile(app, "LoadBombs", APP);
        List<String> lines = ExternalJava.run(app, List.of("-Xmx256m"), "LoadBombs", files.toArray(String[]::new)).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(line.matches("\\d+ ms BundleIntegrityException: .*"), line);
            assertTrue(Long.parseLong(line.substring(0, line.indexOf(' '))) < 10_000, "refused within 10 s: " + line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("entry 'padding.bin' is not part of an rnnkit bundle")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("entry coefficients.bin inflates to 1073693059 bytes, more than a bundle entry may")),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("entry normalizer.bin inflates 516000001 bytes from")
                && l.contains("a ratio over 100:1 that only a zip bomb has")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("inflates to more than its declared " + coefficientsSize + " bytes")),
                String.join("\n", lines));
    }
}
