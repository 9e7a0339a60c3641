package io.rnnkit.bundle;

import io.rnnkit.config.Yaml;
import io.rnnkit.TrainedModels;
import io.rnnkit.train.ExperimentRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundleTest {
    @TempDir
    static Path dir;
    static Path model;
    static ExperimentRunner.RunResult run;

    @BeforeAll
    static void trainTinyModel() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        run = trained.run();
        model = trained.bundle();
    }

    @Test
    void roundTripGivesIdenticalOutputsAndMetadata() {
        Bundle bundle = Bundle.read(model);
        DataSet test = io.rnnkit.data.Tensors.dataSet(run.data().test(), run.data().outputs());
        bundle.normalizer().transform(test);
        INDArray expected = run.training().network().output(test.getFeatures());
        INDArray actual = bundle.network().output(test.getFeatures());
        assertArrayEquals(expected.data().asFloat(), actual.data().asFloat(), 0f);
        assertEquals(run.data().classes(), bundle.contract().classes());
        assertEquals(io.rnnkit.config.Topology.MANY_TO_ONE, bundle.contract().topology());
        assertEquals(1, bundle.contract().features());
        assertEquals(List.of("x1"), bundle.contract().featureNames());
        assertTrue(bundle.contract().fixedLength(), "generated sequences share one length");
        assertEquals(12, bundle.contract().maxLength());
        assertNull(bundle.contract().forecast());
        assertNull(bundle.provenance().configCommit(), "a config outside any git work tree has no commit");
        assertEquals(run.data().fingerprint(), bundle.provenance().dataFingerprint());
        assertEquals(42, bundle.provenance().seed());
        assertEquals(run.metrics().get("test").get("accuracy"), bundle.provenance().metrics().get("test").get("accuracy"));
        assertEquals(Yaml.load(Yaml.MINIMAL, "training.epochs=2").config(), bundle.config());
    }

    @Test
    void dl4jStillOpensTheBundle() throws IOException {
        assertEquals(run.training().network().numParams(),
                org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(model.toFile()).numParams());
    }

    @Test
    void tamperedEntryFailsItsChecksum() throws IOException {
        Path tampered = rewrite("tampered.zip", (name, bytes) -> {
            if (name.equals("coefficients.bin")) {
                bytes[bytes.length - 1] ^= 1;
            }
            return bytes;
        });
        BundleException e = assertThrows(BundleIntegrityException.class, () -> Bundle.read(tampered));
        assertEquals(tampered + ": entry coefficients.bin fails its SHA-256 check (corrupt or modified)", e.getMessage());
    }

    @Test
    void truncatedFileIsNotABundle() throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        BundleException e = assertThrows(BundleIntegrityException.class, () -> Bundle.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": not a bundle"), e.getMessage());
    }

    @Test
    void newerFormatVersionIsRefusedClearly() throws IOException {
        int next = Bundle.FORMAT_VERSION + 1;
        Path newer = rewrite("newer.zip", (name, bytes) -> name.equals(Bundle.MANIFEST)
                ? new String(bytes, StandardCharsets.UTF_8).replace("\"formatVersion\" : " + Bundle.FORMAT_VERSION, "\"formatVersion\" : " + next)
                .getBytes(StandardCharsets.UTF_8)
                : bytes);
        BundleVersionException e = assertThrows(BundleVersionException.class, () -> Bundle.read(newer));
        assertEquals(newer + ": bundle format version " + next + " is newer than this rnnkit reads (" + Bundle.FORMAT_VERSION
                + "); upgrade rnnkit to load it", e.getMessage());
        assertEquals(next, e.found());
    }

    @Test
    void addedEntryIsDetected() throws IOException {
        Path added = rewrite("added.zip", (name, bytes) -> bytes);
        try (var fs = java.nio.file.FileSystems.newFileSystem(added)) {
            Files.writeString(fs.getPath("extra.txt"), "x");
        }
        BundleException e = assertThrows(BundleIntegrityException.class, () -> Bundle.read(added));
        assertTrue(e.getMessage().startsWith(added + ": entry 'extra.txt' is not part of an rnnkit bundle (allowed: "), e.getMessage());
    }

    @Test
    void missingFileAndNonZip() throws IOException {
        assertEquals(dir.resolve("none.zip") + ": no such bundle",
                assertThrows(BundleException.class, () -> Bundle.read(dir.resolve("none.zip"))).getMessage());
        Path text = Files.writeString(dir.resolve("text.zip"), "not a zip");
        assertTrue(assertThrows(BundleException.class, () -> Bundle.read(text)).getMessage().startsWith(text + ": not a bundle"));
    }

    @Test
    void atomicWriteLeavesNoTemporaryFiles() throws IOException {
        try (var files = Files.list(model.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    /** A copy of the model with each entry passed through {@code edit}. */
    private static Path rewrite(String name, BiFunction<String, byte[], byte[]> edit) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile zip = new ZipFile(model.toFile()); ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(out))) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                zos.putNextEntry(new ZipEntry(e.getName()));
                zos.write(edit.apply(e.getName(), bytes));
                zos.closeEntry();
            }
        }
        return out;
    }
}
