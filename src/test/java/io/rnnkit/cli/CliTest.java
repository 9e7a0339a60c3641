package io.rnnkit.cli;

import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's contract: exit codes, one clear message for bad input, nothing written when input is bad. */
public class CliTest {
    @TempDir
    Path dir;

    public record Outcome(int code, String out, String err) {
    }

    public static Outcome rnnkit(String... args) {
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
        Outcome bench = rnnkit("bench", "--threads", "0");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("--threads must be at least 1, got 0"), bench.err());
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
            assertEquals(java.util.Set.of("config.yaml", "metrics.json", "history.csv", "model.zip", "status.json", "checkpoint.zip", "plots", ".lock"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        String history = Files.readString(out.resolve("history.csv"));
        assertTrue(history.startsWith("epoch,train_loss,validation_loss,validation_accuracy,validation_f1,seconds\n"), history);
        assertEquals(3, history.strip().split("\n").length);
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("epochs: 2"), "config.yaml holds the resolved config");

        Outcome inspect = rnnkit("inspect", out.resolve("model.zip").toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("format version " + io.rnnkit.bundle.Bundle.FORMAT_VERSION) && inspect.out().contains("all checksums valid"), inspect.out());
        assertTrue(inspect.out().contains("model: many-to-one classification model (classifier); reads 1 feature(s) per step [x1], exactly 12 steps;"
                + " returns the probabilities of 6 classes"), inspect.out());
        assertTrue(inspect.out().contains("streaming: yes"), inspect.out());

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

    /** The test sequences of a model as rows of comma-separated values (its training layout), and the sequences. */
    private Path rows(List<double[][]> sequences, String name) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (double[][] sequence : sequences) {
            csv.append(java.util.Arrays.stream(sequence).map(step -> Double.toString(step[0])).collect(Collectors.joining(","))).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    @Test
    void predictWritesTheLabelAndEveryClassProbabilityOfEachRow() throws IOException {
        TrainedModels.Trained trained = TrainedModels.classifier();
        RnnModel model = RnnModel.load(trained.bundle());
        List<double[][]> sequences = TrainedModels.sequences(trained.run().data().test());
        Path input = rows(sequences, "rows.csv");
        Path output = dir.resolve("out/preds.csv");
        Outcome o = rnnkit("predict", "--model", trained.bundle().toString(), "--input", input.toString(), "--output", output.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = Files.readAllLines(output);
        List<String> classes = model.contract().classes();
        assertEquals("line,label," + classes.stream().map(c -> "p_" + c).collect(Collectors.joining(",")), lines.get(0));
        assertEquals(sequences.size() + 1, lines.size());
        for (int i = 0; i < sequences.size(); i++) {
            String[] fields = lines.get(i + 1).split(",");
            Classification expected = model.classify(sequences.get(i));
            assertEquals(Integer.toString(i + 1), fields[0]);
            assertEquals(expected.label(), fields[1]);
            for (int c = 0; c < classes.size(); c++) {
                // predict runs the rows as one batch, classify one row: the products (gemm against gemv) round differently in FLOAT
                assertEquals(expected.probabilities()[c], Double.parseDouble(fields[2 + c]), 1e-6, "row " + i + " class " + c);
            }
        }
        Outcome toStdout = rnnkit("predict", "--model", trained.bundle().toString(), "--input", input.toString());
        assertEquals(0, toStdout.code(), toStdout.err());
        assertEquals(String.join("\n", lines) + "\n", toStdout.out(), "without --output the CSV goes to standard output");
    }

    @Test
    void predictForecastsFromEveryWindowOfASeries() throws IOException {
        TrainedModels.Trained trained = TrainedModels.forecaster();
        RnnModel model = RnnModel.load(trained.bundle());
        Path series = TrainedModels.series(dir.resolve("recent.csv"), 20, false);
        Outcome o = rnnkit("predict", "--model", trained.bundle().toString(), "--input", series.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("t,t+1,t+2", lines.get(0));
        assertEquals(20 - 8 + 1 + 1, lines.size(), "one forecast per window of 8 steps, the last after the final step");
        List<String> data = Files.readAllLines(series);
        double[][] window = new double[8][1];
        for (int t = 0; t < 8; t++) {
            window[t][0] = Double.parseDouble(data.get(20 - 8 + 1 + t).split(",")[1]);
        }
        double[] expected = model.forecast(window, 2);
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals("19", last[0], "keyed by the time of the last observed step");
        assertEquals(expected[0], Double.parseDouble(last[1]), 0.0);
        assertEquals(expected[1], Double.parseDouble(last[2]), 0.0);
    }

    @Test
    void predictOnBadInputNamesTheFileAndLineAndExits2() throws IOException {
        TrainedModels.Trained trained = TrainedModels.classifier();
        List<double[][]> sequences = TrainedModels.sequences(trained.run().data().test()).subList(0, 3);
        Path input = rows(sequences, "rows.csv");
        String text = Files.readString(input);
        Path shortRows = Files.writeString(dir.resolve("short.csv"), text.lines().map(l -> l.substring(l.indexOf(',') + 1))
                .collect(Collectors.joining("\n")));
        Outcome o = rnnkit("predict", "--model", trained.bundle().toString(), "--input", shortRows.toString(), "--output",
                dir.resolve("p.csv").toString());
        assertEquals(2, o.code());
        assertEquals("error: " + shortRows + ":1: the sequence has 11 steps, but the model takes exactly 12 (it was trained on sequences"
                + " of that one length)", o.err().strip());
        assertFalse(Files.exists(dir.resolve("p.csv")), "nothing is written for bad input");

        Path notNumber = Files.writeString(dir.resolve("nan.csv"), text.replaceFirst("\n[^,]*,", "\nabc,"));
        Outcome o2 = rnnkit("predict", "--model", trained.bundle().toString(), "--input", notNumber.toString());
        assertEquals(2, o2.code());
        assertEquals("error: " + notNumber + ":2: column 1: 'abc' is not a number", o2.err().strip());

        Outcome wrongModel = rnnkit("predict", "--model", input.toString(), "--input", input.toString());
        assertEquals(2, wrongModel.code());
        assertTrue(wrongModel.err().startsWith("error: " + input + ": not a bundle"), wrongModel.err());
    }

    @Test
    void translateWritesOneTranslationPerLineAndNamesTheBadLine() throws IOException {
        Path bundle = io.rnnkit.TrainedModels.translator().bundle();
        Path input = Files.writeString(dir.resolve("in.txt"), "abc\tcba\nd\n");
        Path output = dir.resolve("out.txt");
        Outcome ok = rnnkit("translate", "--model", bundle.toString(), "--input", input.toString(), "--output", output.toString(),
                "--beam-width", "2");
        assertEquals(0, ok.code(), ok.err());
        java.util.List<String> lines = Files.readAllLines(output);
        assertEquals(io.rnnkit.bundle.RnnModel.load(bundle).translate(java.util.List.of("abc", "d"), 2), lines);

        Path bad = Files.writeString(dir.resolve("bad.txt"), "abc\nab?\n");
        Outcome unknown = rnnkit("translate", "--model", bundle.toString(), "--input", bad.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains(bad + ":2: symbol '?' at position 2 is not in the model's vocabulary"), unknown.err());
        Path empty = Files.writeString(dir.resolve("empty.txt"), "abc\n\nab\n");
        Outcome blank = rnnkit("translate", "--model", bundle.toString(), "--input", empty.toString());
        assertEquals(2, blank.code());
        assertTrue(blank.err().contains(empty + ":2: empty line: no source to translate"), blank.err());
        io.rnnkit.TrainedModels.Trained trained = io.rnnkit.TrainedModels.translator();
        Outcome evaluated = rnnkit("evaluate", "--model", bundle.toString(), "--config", trained.run().directory().resolve("config.yaml").toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().contains("exact_match=" + String.format("%.4f",
                trained.run().metrics().get("test").get("exact_match"))), evaluated.out());
        Outcome notTranslator = rnnkit("translate", "--model", io.rnnkit.TrainedModels.classifier().bundle().toString(),
                "--input", input.toString());
        assertEquals(2, notTranslator.code());
        assertTrue(notTranslator.err().contains("translate() needs a sequence-to-sequence model"), notTranslator.err());
    }
}
