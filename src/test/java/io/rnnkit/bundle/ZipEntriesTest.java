package io.rnnkit.bundle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zip reader's rules on small crafted zips, with limits small enough to reach in a unit test. */
class ZipEntriesTest {
    private static final BundleFormat.Limits SMALL = new BundleFormat.Limits(1 << 20, 4, 1000, 1500, 50, 100);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String refusal(List<CraftedZip.Entry> entries) {
        return assertThrows(BundleIntegrityException.class,
                () -> ZipEntries.read(CraftedZip.build(entries), "z", BundleFormat.Kind.BUNDLE, SMALL)).getMessage();
    }

    @Test
    void entriesWithinTheLimitsAreReadAsWritten() {
        byte[] a = random(900);
        Map<String, byte[]> read = ZipEntries.read(CraftedZip.build(List.of(CraftedZip.Entry.of("coefficients.bin", a))), "z",
                BundleFormat.Kind.BUNDLE, SMALL);
        assertArrayEquals(a, read.get("coefficients.bin"));
    }

    @Test
    void anEntryOrAllEntriesOverTheSizeLimitAreRefusedBeforeInflating() {
        assertEquals("z: entry coefficients.bin inflates to 1001 bytes, more than a bundle entry may (1000)",
                refusal(List.of(CraftedZip.Entry.of("coefficients.bin", random(1001)))));
        assertEquals("z: its entries inflate to more than 1500 bytes in all, more than a bundle may hold",
                refusal(List.of(CraftedZip.Entry.of("coefficients.bin", random(800)), CraftedZip.Entry.of("normalizer.bin", random(800)))));
        String ratio = refusal(List.of(CraftedZip.Entry.of("coefficients.bin", new byte[1000])));
        assertTrue(ratio.matches("z: entry coefficients.bin inflates 1000 bytes from \\d+, a ratio over 50:1 that only a zip bomb has"), ratio);
    }

    @Test
    void namesThatAreNotPlainRelativePathsOfTheFormatAreRefused() {
        for (String name : List.of("../coefficients.bin", "/coefficients.bin", "rnnkit\\config.yaml", "rnnkit//config.yaml", "C:config")) {
            CraftedZip.Entry e = CraftedZip.Entry.of(name, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals("z: entry '" + name + "' is not a plain relative name (absolute, '..', backslash or empty segment)", refusal(List.of(e)), name);
        }
    }

    @Test
    void sizesTheHeadersMisstateAreRefused() {
        CraftedZip.Entry e = CraftedZip.Entry.of("coefficients.bin", random(500));
        assertEquals("z: entry coefficients.bin inflates to more than its declared 400 bytes", refusal(List.of(e.claimedSize(400))));
        assertEquals("z: entry coefficients.bin's deflated data disagrees with its declared sizes", refusal(List.of(e.claimedSize(600))));
    }
}
