package io.rnnkit.cli;

import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.data.SplitData;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows and sequence files whose steps hold a text feature (data.categorical): one-hot over the training split's
 * categories, saved in the bundle, raw text in predict.
 */
class CategoricalRowsTest {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            name: colours
            task: {kind: classification}
            data:
              format: rows
              path: %s
              features: 2
              categorical: [%s]
              labels: {from: last-column}
              split: {train: 0.6, validation: 0.2, test: 0.2}
            model: {layers: [{type: lstm, units: 4}]}
            training: {epochs: 1, batchSize: 16}
            """;

    /** Three steps of (a number, a colour) and the class: warm rows are red or orange, cold ones blue. */
    private Path rows() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            boolean warm = i % 2 == 0;
            String colour = i == 59 ? "purple" : warm ? (i % 4 == 0 ? "red" : "orange") : "blue"; // purple: one row only
            csv.append(i % 5).append(',').append(colour).append(',').append(i % 3).append(",blue,").append(i % 7).append(',').append(colour)
                    .append(',').append(warm ? "warm" : "cold").append('\n');
        }
        return Files.writeString(dir.resolve("rows.csv"), csv);
    }

    @Test
    void aTextFeatureIsOneHotSavedInTheBundleAndReadAsRawTextByPredict() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), CONFIG.formatted(rows(), "x2"));
        SplitData split = DatasetLoader.load(ConfigLoader.load(config, List.of()));
        assertEquals(List.of("x1", "x2=blue", "x2=orange", "x2=red", "x2=<other>"), split.featureNames());
        assertEquals(5, split.train().features());
        // the one purple row fell outside the training split (seeded): its two purple steps are <other>, counted there
        assertEquals(Map.of("categories_other", Map.of("train", Map.of(), "validation", Map.of(), "test", Map.of("x2", 2))),
                split.report().read());
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        Path bundle = run.directory().resolve("model.zip");
        RnnModel model = RnnModel.load(bundle);
        assertEquals(Map.of("x2", List.of("blue", "orange", "red", "<other>")), model.categories().byColumn());
        assertEquals(split.featureNames(), model.contract().featureNames());
        assertTrue(Files.readString(run.directory().resolve("metrics.json")).contains("\"categories_other\""));

        Path recent = Files.writeString(dir.resolve("recent.csv"), "1,red,2,blue,3,green,warm\n4,blue,0,blue,1,blue,cold\n");
        PredictionInput in = model.read(recent);
        assertArrayEquals(new double[][]{{1, 0, 0, 1, 0}, {2, 1, 0, 0, 0}, {3, 0, 0, 0, 1}}, in.sequences().get(0), "green is <other>");
        assertArrayEquals(new double[]{4, 1, 0, 0, 0}, in.sequences().get(1)[0], "the label column of a labelled file is recognised and left out");
        assertEquals(List.of("recent.csv: steps read as <other> (categories unseen in training): {x2=1}"), in.notes());
        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", recent.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(3, o.out().lines().count(), o.out());
        assertEquals(model.classify(in.sequences()).get(0).label(), o.out().lines().toList().get(1).split(",")[1]);
        assertTrue(o.err().contains("note: recent.csv: steps read as <other>"), o.err());
    }

    @Test
    void aCategoricalFeatureMustBeAFeatureOfAStep() throws IOException {
        Path rows = rows();
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(CONFIG.formatted(rows, "x3"), "c.yaml", List.of()));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("data.categorical[0]: 'x3' is not a feature of a step: x1 … x2 (data.features: 2)"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), CONFIG.formatted(rows, "x3"));
        CliTest.Outcome o = rnnkit("validate", bad.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("data.categorical[0]"), o.err());
    }

    @Test
    void sequenceFilesTakeTextColumnsToo() throws IOException {
        Path folder = dir.resolve("seq");
        Files.createDirectories(folder.resolve("features"));
        Files.createDirectories(folder.resolve("labels"));
        for (int i = 0; i < 30; i++) {
            boolean warm = i % 2 == 0;
            StringBuilder steps = new StringBuilder();
            for (int t = 0; t < 2 + i % 3; t++) {
                steps.append(t + i % 4).append(',').append(warm ? "red" : t == 0 ? "grey" : "blue").append('\n');
            }
            Files.writeString(folder.resolve("features/" + i + ".csv"), steps);
            Files.writeString(folder.resolve("labels/" + i + ".csv"), warm ? "warm\n" : "cold\n");
        }
        Path config = Files.writeString(dir.resolve("s.yaml"), CONFIG.formatted(folder, "x2").replace("format: rows", "format: sequence-files")
                .replace("  features: 2\n", "").replace("labels: {from: last-column}", "labels: {}"));
        SplitData split = DatasetLoader.load(ConfigLoader.load(config, List.of()));
        assertEquals(List.of("x1", "x2=blue", "x2=grey", "x2=red", "x2=<other>"), split.featureNames());
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        RnnModel model = RnnModel.load(run.directory().resolve("model.zip"));
        assertEquals(Map.of("x2", List.of("blue", "grey", "red", "<other>")), model.categories().byColumn());

        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh.resolve("features"));
        Files.writeString(fresh.resolve("features/0.csv"), "5,red\n6,green\n");
        PredictionInput in = model.read(fresh);
        assertArrayEquals(new double[][]{{5, 0, 0, 1, 0}, {6, 0, 0, 0, 1}}, in.sequences().get(0));
        assertEquals(List.of("fresh: steps read as <other> (categories unseen in training): {x2=1}"), in.notes());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), Files.readString(config).replace("categorical: [x2]", "categorical: [x5]"));
        CliTest.Outcome o = rnnkit("validate", bad.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("0.csv: data.categorical names x5, but a step has 2 column(s): x1 … x2"), o.err());
    }
}
