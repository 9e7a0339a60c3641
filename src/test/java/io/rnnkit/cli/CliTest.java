package io.rnnkit.cli;

import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's contract: exit codes, one clear message for bad input, nothing written when input is bad. */
class CliTest {
    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    static Outcome rnnkit(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("c.yaml"), yaml);
    }

    @Test
    void validateAcceptsAGoodConfig() throws IOException {
        Outcome o = rnnkit("validate", config(Yaml.MINIMAL).toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("valid. Data: 42 train, 12 validation, 6 test sequences"), o.out());
    }

    @Test
    void validatePrintsEveryProblemAndExits2WithoutAStackTrace() throws IOException {
        Path c = config(Yaml.MINIMAL.replace("units: 4", "units: -4").replace("epochs: 1", "epochs: x"));
        Outcome o = rnnkit("validate", c.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("2 problems:"), o.err());
        assertTrue(o.err().contains(c + ":7: model.layers[0].units: must be in [1, 65536], got -4"), o.err());
        assertTrue(o.err().contains(c + ":8: training.epochs: expected an integer, got 'x'"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void badArgumentsExit2() {
        assertEquals(2, rnnkit("train").code());
        assertEquals(2, rnnkit("train", "x.yaml", "--no-such-option").code());
        Outcome o = rnnkit("evaluate", "--model", "none.zip", "--config", "none.yaml", "--split", "dev");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--split: expected train, validation or test, got 'dev'"), o.err());
    }

    @Test
    void badDataLeavesTheRunDirectoryUntouched() throws IOException {
        Path data = Files.writeString(dir.resolve("d.csv"), "a,1,2\nb,1,oops\na,1,2\nb,1,2\n");
        Path c = config("""
                name: t
                data: {format: rows, path: %s, delimiter: comma, labels: {from: first-column}}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(data));
        Path out = dir.resolve("run");
        Outcome o = rnnkit("train", c.toString(), "--out", out.toString());
        assertEquals(2, o.code());
        assertEquals("error: " + data + ":2: column 3: 'oops' is not a number", o.err().strip());
        assertFalse(Files.exists(out), "nothing is created for bad input");
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws IOException {
        Path out = Files.createDirectories(dir.resolve("run"));
        Path kept = Files.writeString(out.resolve("model.zip"), "an earlier model");
        Outcome o = rnnkit("train", config(Yaml.MINIMAL).toString(), "--out", out.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("the run directory already holds files; rnnkit never overwrites a run"), o.err());
        assertEquals("an earlier model", Files.readString(kept));
    }

    @Test
    void trainWritesTheRunDirectoryAndInspectAndEvaluateReadIt() throws IOException {
        Path c = config(Yaml.MINIMAL);
        Path out = dir.resolve("run");
        Outcome train = rnnkit("train", c.toString(), "--out", out.toString(), "--set", "training.epochs=2");
        assertEquals(0, train.code(), train.err());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(java.util.Set.of("config.yaml", "metrics.json", "history.csv", "model.zip", "status.json", "checkpoint.zip", "plots"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        String history = Files.readString(out.resolve("history.csv"));
        assertTrue(history.startsWith("epoch,train_loss,validation_loss,validation_accuracy,validation_f1,seconds\n"), history);
        assertEquals(3, history.strip().split("\n").length);
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("epochs: 2"), "config.yaml holds the resolved config");

        Outcome inspect = rnnkit("inspect", out.resolve("model.zip").toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("format version 1") && inspect.out().contains("all checksums valid"), inspect.out());

        Outcome evaluate = rnnkit("evaluate", "--model", out.resolve("model.zip").toString(), "--config", c.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        String testLine = train.out().lines().filter(l -> l.strip().startsWith("test ")).findFirst().orElseThrow();
        String evaluated = evaluate.out().lines().filter(l -> l.strip().startsWith("test ")).findFirst().orElseThrow();
        assertEquals(testLine.strip(), evaluated.strip(), "evaluate reproduces the test metrics of training");
    }

    @Test
    void trainWithTheUiPrintsItsLoopbackAddress() throws IOException {
        Outcome o = rnnkit("train", config(Yaml.MINIMAL).toString(), "--out", dir.resolve("run").toString(), "--ui", "--ui-port", "0");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().matches("(?s).*training UI: http://127\\.0\\.0\\.1:\\d+/train/overview\n.*"), o.out());
        assertEquals(2, rnnkit("train", "x.yaml", "--ui", "--ui-port", "70000").code());
    }

    @Test
    void corruptBundleExits2() throws IOException {
        Path bad = Files.writeString(dir.resolve("model.zip"), "garbage");
        Outcome o = rnnkit("inspect", bad.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("error: " + bad + ": not a bundle"), o.err());
    }
}
