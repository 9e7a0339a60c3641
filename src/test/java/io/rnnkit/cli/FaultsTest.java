package io.rnnkit.cli;

import io.rnnkit.bundle.Printable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.BadInputException;
import io.rnnkit.TrainedModels;
import io.rnnkit.config.Yaml;
import io.rnnkit.train.Checkpoints;
import io.rnnkit.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Faults during and before training: a diverging run says so and keeps its checkpoint; too little disk fails at once. */
class FaultsTest {
    @TempDir
    Path dir;

    @Test
    void aDivergingRunExits1AndItsDirectorySaysWhyAndKeepsTheCheckpoint() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL);
        Path run = dir.resolve("run");
        CliTest.Outcome o = CliTest.rnnkit("train", config.toString(), "--out", run.toString(), "--set", "training.epochs=6",
                "--set", "training.updater={type: sgd, learningRate: 9.9}", "--set", "training.gradientClipping.type=none",
                "--set", "model.layers=[{type: simple-rnn, units: 64, activation: relu}]", "--set", "model.weightInit=uniform");
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("error: training diverged: the loss became"), o.err());
        assertFalse(o.err().contains("unexpected"), o.err());
        JsonNode status = new ObjectMapper().readTree(run.resolve(RunDirectory.STATUS).toFile());
        assertEquals("failed", status.get("status").asText());
        assertTrue(status.get("message").asText().contains("lower training.updater.learningRate"), status.toString());
        if (status.get("epochsDone").asInt() > 0) {
            assertTrue(Files.exists(run.resolve(Checkpoints.FILE)), "the last good epoch is kept");
        } else {
            assertFalse(Files.exists(run.resolve(Checkpoints.FILE)), "no epoch finished, so there is nothing to keep");
        }
    }

    @Test
    void tooLittleFreeSpaceFailsBeforeTraining() {
        BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.checkSpace(dir.resolve("run"), Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("free on its file system, but the run writes up to"), e.getMessage());
        RunDirectory.checkSpace(dir.resolve("run"), 1024);
        assertTrue(Checkpoints.estimateBytes(1_000_000) > 4_000_000 * 2, "model and checkpoint at least");
    }

    @Test
    void aListIndexBeyondIntIsAConfigErrorNotACrash() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL);
        CliTest.Outcome o = CliTest.rnnkit("validate", config.toString(), "--set", "model.layers[99999999999].units=1");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("model.layers[99999999999]") && o.err().contains("index 99999999999 is out of range"), o.err());
        assertFalse(o.err().contains("unexpected"), o.err());
    }

    @Test
    void aNetworkThatCannotFitIsRefusedAtValidationWithTheFigure() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL);
        // 65536 units: 17 billion parameters, which DL4J would try to allocate and die in native code (std::bad_alloc)
        CliTest.Outcome huge = CliTest.rnnkit("validate", config.toString(), "--set", "model.layers[0].units=65536");
        assertEquals(2, huge.code(), huge.out() + huge.err());
        assertTrue(huge.err().contains("model.layers[0].units: training this network needs at least 321.1 GB of ND4J memory (17,180,786,694"
                + " parameters"), huge.err());

        // 2048 units (16.8 million parameters, 336 MB with Adam) fit the test JVM's heap, not a 64 MB one
        CliTest.Outcome here = CliTest.rnnkit("validate", config.toString(), "--set", "model.layers[0].units=2048");
        assertEquals(0, here.code(), here.err());
        Path log = dir.resolve("small-heap.log");
        Process small = ChildJvm.start(log, "64m", "validate", config.toString(), "--set", "model.layers[0].units=2048");
        assertTrue(small.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "validate ends");
        String out = Files.readString(log);
        assertEquals(2, small.exitValue(), out);
        assertTrue(out.contains("model.layers[0].units: training this network needs at least") && out.contains("but ND4J may use 64.0 MB"), out);
    }

    /** A trained classifier's bundle and input rows for it (12 values a line, as it was trained on). */
    private Path[] modelAndInput() throws IOException {
        Path model = TrainedModels.classifier().bundle();
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 3; r++) {
            for (int t = 0; t < 12; t++) {
                rows.append(t == 0 ? "" : ",").append(r + t);
            }
            rows.append('\n');
        }
        return new Path[]{model, Files.writeString(dir.resolve("in.csv"), rows)};
    }

    @Test
    void predictWritesThroughSymbolicLinksAndIntoAFifoAndRefusesAnOutputItCannotWrite() throws Exception {
        Path[] m = modelAndInput();
        Path target = Files.writeString(dir.resolve("target.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target.getFileName());
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", m[0].toString(), "--input", m[1].toString(), "--output", link.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertTrue(Files.readString(target).startsWith("line,label,p_"), "its target was replaced: " + Files.readString(target));

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.csv"), Path.of("made.csv"));
        assertEquals(0, CliTest.rnnkit("predict", "--model", m[0].toString(), "--input", m[1].toString(), "--output", dangling.toString()).code());
        assertTrue(Files.isSymbolicLink(dangling) && Files.readString(dir.resolve("made.csv")).startsWith("line,label,p_"));

        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        o = CliTest.rnnkit("predict", "--model", m[0].toString(), "--input", m[1].toString(), "--output", fifo.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(read.get(60, java.util.concurrent.TimeUnit.SECONDS).startsWith("line,label,p_"), "the reader got the CSV");
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isSymbolicLink(fifo), "still a FIFO");

        // a file where a directory should be: refused with the system's reason (root may write anywhere, so no permission test)
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        o = CliTest.rnnkit("predict", "--model", m[0].toString(), "--input", m[1].toString(), "--output", plain.resolve("out.csv").toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("error: cannot write " + plain.resolve("out.csv") + ": "), o.err());
        assertFalse(o.err().contains("unexpected"), o.err());
        o = CliTest.rnnkit("predict", "--model", m[0].toString(), "--input", m[1].toString(), "--output", dir.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("error: cannot write " + dir + ": it is a directory"), o.err());
    }

    @Test
    void inspectPrintsNoTerminalControlsFromABundle() throws IOException {
        // class names are the bundle's text: here an erase-screen, a colour and a one-byte CSI (U+009B)
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 24; r++) {
            rows.append(r % 2 == 0 ? "up\u001b[2J" : "down\u001b[31m\u009b2J").append(',').append(r % 2).append(',').append(r % 3).append('\n');
        }
        Path data = Files.writeString(dir.resolve("rows.csv"), rows);
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                name: t
                task: {kind: classification}
                data: {format: rows, path: %s, labels: {from: first-column}, split: {train: 0.5, validation: 0.25, test: 0.25}}
                model: {layers: [{type: lstm, units: 2}]}
                training: {epochs: 1}
                """.formatted(data));
        Path run = dir.resolve("run");
        assertEquals(0, CliTest.rnnkit("train", config.toString(), "--out", run.toString()).code());
        CliTest.Outcome o = CliTest.rnnkit("inspect", run.resolve("model.zip").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("up\\u001b[2J") && o.out().contains("down\\u001b[31m\\u009b2J"), o.out());
        assertTrue(o.out().chars().noneMatch(c -> c == 0x1b || c == 0x9b), "no control character reaches the terminal: " + o.out());
        assertEquals("a\\u202eb\\u0007c", Printable.escape("a\u202eb\u0007c"), "bidi overrides and bells too");
    }

    /**
     * A disk that fills up mid-run (another program's file, here) is bad input, not a crash: exit 2 saying which file
     * could not be written and why, and what was kept. The disk is a 16 MB tmpfs, so this needs root (else skipped).
     */
    @Test
    void aDiskThatFillsMidRunExits2AndSaysWhatWasKept() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", small.toString()), "mounting a small tmpfs needs root");
        try {
            Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL.replace("epochs: 1", "epochs: 5000"));
            Path run = small.resolve("run");
            Path log = dir.resolve("full.log");
            Process p = ChildJvm.start(log, "1g", "train", config.toString(), "--out", run.toString());
            String out;
            try {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (ResumeTest.historyRows(run) < 2) {
                    assertTrue(p.isAlive() && System.nanoTime() < deadline, "two epochs trained: " + Files.readString(log));
                    Thread.sleep(20);
                }
                fill(small.resolve("filler"));
                assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the run stops once its disk is full");
                out = Files.readString(log);
                assertEquals(2, p.exitValue(), out);
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            Files.delete(small.resolve("filler"));
            int kept = Checkpoints.epochsDone(run);
            assertTrue(kept >= 2, "the last checkpoint survived: " + kept);
            assertTrue(out.contains("error: cannot write " + run) && out.contains(": No space left on device; kept " + run.resolve(Checkpoints.FILE)
                    + " with epoch " + kept + " of 5000 (continue with: rnnkit train --resume " + run + " once there is space)"), out);
            assertFalse(out.contains("unexpected"), out);
            assertFalse(RunDirectory.status(run).status().equals("running"), "the run is not reported as still running");
        } finally {
            assertTrue(run("umount", small.toString()), "umount " + small);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }

    /** Writes to {@code file} until the file system is full. */
    private static void fill(Path file) {
        byte[] block = new byte[1 << 16];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }
}
