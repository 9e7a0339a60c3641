package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.CliLogging;
import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Numerics;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.Yaml;
import io.rnnkit.nn.layers.FloatLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What changes a run's numbers (SIMD or scalar layers and the lane width, the BLAS and its threads, the CPU) is
 * recorded in metrics.json and in the bundle's provenance, and {@code rnnkit inspect} shows it. The expected
 * values come from the JVM the test runs in, so the test holds on any CPU.
 */
class NumericsProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRunRecordsItsNumericsInMetricsJsonAndInTheBundle() throws IOException {
        TrainedModels.Trained trained = TrainedModels.classifier();
        Numerics here = Numerics.current();
        assertEquals(FloatLanes.available() ? "simd" : "scalar", here.path());
        if (FloatLanes.available()) {
            int bits = here.vectorBits();
            assertTrue(bits >= 64 && Integer.bitCount(bits) == 1, "a vector register's width: " + bits);
        } else {
            assertNull(here.vectorBits());
        }
        assertTrue(List.of("OpenBLAS", "MKL").contains(here.blas()), here.blas());
        assertTrue(here.blasThreads() >= 1, "threads: " + here.blasThreads());
        assertFalse(here.cpu().isBlank());

        JsonNode metrics = JSON.readTree(trained.run().directory().resolve("metrics.json").toFile());
        assertEquals(here, JSON.treeToValue(metrics.get("numerics"), Numerics.class), "metrics.json");
        assertEquals(here, RnnModel.load(trained.bundle()).provenance().numerics(), "the bundle's provenance, read back");
    }

    @Test
    void inspectShowsTheNumericsOfTheRun() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        CliTest.Outcome o = rnnkit("inspect", trained.bundle().toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\ntrained with: " + Numerics.current().describe() + "\n"), o.out());
    }

    @Test
    void aBundleFromBeforeTheNumericsWereRecordedLoadsAndSaysSo() throws IOException {
        Path old = dir.resolve("translator.zip");
        try (InputStream in = RnnModel.class.getResourceAsStream("format-3/translator.zip")) {
            Files.copy(in, old);
        }
        assertNull(RnnModel.load(old).provenance().numerics());
        CliTest.Outcome o = rnnkit("inspect", old.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\ntrained with: not recorded"), o.out());
    }

    /** In a JVM of its own, as rnnkit.simd is read once per JVM. */
    @Test
    void aRunWithSimdSwitchedOffRecordsTheScalarPath() throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL);
        Path out = dir.resolve("run");
        Path log = dir.resolve("log.txt");
        Path classpathList = Path.of("target/runtime-classpath.txt");
        assertTrue(Files.isRegularFile(classpathList), classpathList + " is written by Maven before the tests run");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Drnnkit.simd=false", "-Xmx1g", CliLogging.JVM_OPTION,
                "-cp", Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Files.readString(classpathList).strip(),
                Main.class.getName(), "train", config.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the run did not finish in 3 minutes:\n" + Files.readString(log));
        }
        assertEquals(0, process.exitValue(), Files.readString(log));

        Numerics recorded = JSON.treeToValue(JSON.readTree(out.resolve("metrics.json").toFile()).get("numerics"), Numerics.class);
        assertEquals("scalar", recorded.path());
        assertNull(recorded.vectorBits(), "no lanes, no width");
        assertNotNull(recorded.blas());
        assertEquals(recorded, RnnModel.load(out.resolve("model.zip")).provenance().numerics());
    }
    /**
     * The layer thread count changes the float rounding, so a run records it, and a resume on another count (here
     * training.threads left at 0, all cores, with -Drnnkit.threads standing for another machine) warns once and
     * still runs.
     */
    @Test
    void aResumeOnAnotherLayerThreadCountWarnsOnceThatTheLastBitsMayDiffer() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL.replace("epochs: 1", "epochs: 2"));
        Path run = dir.resolve("run");
        String property = System.getProperty("rnnkit.threads");
        try {
            System.setProperty("rnnkit.threads", "1");
            CliTest.Outcome o = rnnkit("train", config.toString(), "--out", run.toString());
            assertEquals(0, o.code(), o.err());
            Numerics recorded = JSON.treeToValue(JSON.readTree(run.resolve("metrics.json").toFile()).get("numerics"), Numerics.class);
            assertEquals(1, recorded.layerThreads());
            assertTrue(recorded.describe().contains(", 1 layer thread;"), recorded.describe());

            o = rnnkit("train", "--resume", run.toString());
            assertEquals(0, o.code(), o.err());
            assertFalse(o.out().contains("warning"), "the same count: " + o.out());

            System.setProperty("rnnkit.threads", "3");
            o = rnnkit("train", "--resume", run.toString());
            assertEquals(0, o.code(), o.err());
            List<String> warnings = o.out().lines().filter(l -> l.startsWith("warning:")).toList();
            assertEquals(List.of("warning: the epochs before ran rnnkit's layers on 1 thread, this resume on 3 (training.threads):"
                    + " the results may differ from an uninterrupted run in the last bits (float rounding)"), warnings, o.out());
            assertEquals(3, JSON.treeToValue(JSON.readTree(run.resolve("metrics.json").toFile()).get("numerics"), Numerics.class)
                    .layerThreads(), "the resumed run records the count it ended with");
        } finally {
            if (property == null) {
                System.clearProperty("rnnkit.threads");
            } else {
                System.setProperty("rnnkit.threads", property);
            }
            io.rnnkit.nn.layers.LayerThreads.set(io.rnnkit.nn.layers.LayerThreads.defaultCount());
        }
    }
}
