package io.rnnkit.data;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A separate test file (data.testPath) through the streaming path: cached on its own and read whole as the test split, the
 * training file split into training and validation as the in-memory path splits it; splits, and a short run's metrics, are
 * those of the in-memory path.
 */
class StreamedTestPathTest {
    @TempDir
    Path dir;

    private LoadedConfig config(String format, Path train, Path test, String streaming, String extra) throws IOException {
        Path file = dir.resolve(format + "-" + Math.abs((streaming + extra).hashCode()) + ".yaml");
        Files.writeString(file, """
                name: testpath
                seed: 13
                task: {topology: many-to-one, kind: classification}
                data:
                  format: %s
                  path: %s
                  testPath: %s
                  split: {train: 0.75, validation: 0.25, test: 0}
                  streaming: %s
                  %s
                model:
                  layers:
                    - {type: lstm, units: 4}
                %s
                """.formatted(format, train, test, streaming, format.equals("rows") ? "labels: {from: last-column}" : "", extra));
        return ConfigLoader.load(file, List.of());
    }

    private String always() {
        return "{enabled: always, cacheDir: " + dir.resolve("cache") + "}";
    }

    /** The training and test files in the layout: 80 and 30 rows of the generator, the test rows of another seed. */
    private Path[] files(String format) throws IOException {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        RowsGenerator.write(train, 80, 10, 1);
        RowsGenerator.write(test, 30, 10, 2);
        if (format.equals("rows")) {
            return new Path[]{train, test};
        }
        String ext = format.equals("sequence-files") ? "" : "." + format;
        return new Path[]{LayoutFiles.write(train, format, dir.resolve("train" + ext + "-" + format)),
                LayoutFiles.write(test, format, dir.resolve("test" + ext + "-" + format))};
    }

    @ParameterizedTest
    @ValueSource(strings = {"rows", "sequence-files", "ts", "arff"})
    void theTestFileIsTheStreamedTestSplit(String format) throws IOException {
        Path[] files = files(format);
        SplitData streamed = DatasetLoader.loadForTraining(config(format, files[0], files[1], always(), ""), note -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(format, files[0], files[1], "{enabled: never}", ""), note -> { });
        assertTrue(streamed.test().streamed());
        assertEquals(30, streamed.test().size());
        assertEquals(memory.classes(), streamed.classes());
        SameSplits.assertSplitsEqual(memory, streamed);
        // the test file is part of what the model was trained and tested on
        SplitData alone = DatasetLoader.loadForTraining(config(format, files[0], files[0], always(), ""), note -> { });
        assertNotEquals(alone.fingerprint(), streamed.fingerprint());
    }

    @Test
    void aStreamedRunWithATestFileEndsWithTheMetricsOfTheInMemoryRun() throws IOException {
        Path[] files = files("rows");
        String training = "training: {epochs: 2, batchSize: 16, updater: {type: adam, learningRate: 0.01}}";
        ExperimentRunner.RunResult streamed = ExperimentRunner.run(config("rows", files[0], files[1], always(), training),
                dir.resolve("streamed"), TrainingProgress.SILENT);
        ExperimentRunner.RunResult memory = ExperimentRunner.run(config("rows", files[0], files[1], "{enabled: never}", training),
                dir.resolve("memory"), TrainingProgress.SILENT);
        assertTrue(streamed.data().test().streamed());
        assertEquals(30, sum(StreamedPerStepTest.metrics(memory).get("test").get("confusion").get("matrix")), "the test file is the test split");
        StreamedPerStepTest.assertSameMetrics(memory, streamed);
    }

    private static int sum(com.fasterxml.jackson.databind.JsonNode matrix) {
        int total = 0;
        for (var row : matrix) {
            for (var cell : row) {
                total += cell.asInt();
            }
        }
        return total;
    }

    @Test
    void aTestLabelOutsideTheTrainingClassesNamesItsLine() throws IOException {
        Path[] files = files("rows");
        List<String> lines = new ArrayList<>(Files.readAllLines(files[1]));
        lines.set(6, lines.get(6).substring(0, lines.get(6).lastIndexOf(',')) + ",7");
        Files.write(files[1], lines);
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config("rows", files[0], files[1], always(), ""),
                note -> { }));
        assertTrue(e.getMessage().contains(files[1] + ":7") && e.getMessage().contains("'7'"), e.getMessage());
    }

    @Test
    void aTestFileOfOtherWidthIsRefusedAtDataTestPath() throws IOException {
        Path[] files = files("sequence-files");
        Path wide = dir.resolve("wide");
        Files.createDirectories(wide.resolve("features"));
        Files.createDirectories(wide.resolve("labels"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(wide.resolve("features").resolve(i + ".csv"), "1,2\n3,4\n");
            Files.writeString(wide.resolve("labels").resolve(i + ".csv"), "0\n");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(config("sequence-files", files[0], wide,
                always(), ""), note -> { }));
        assertTrue(e.getMessage().contains("data.testPath") && e.getMessage().contains("2 features per step"), e.getMessage());
    }
}
