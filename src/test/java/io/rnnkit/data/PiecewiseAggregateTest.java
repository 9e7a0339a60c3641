package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Task;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code data.segments}: piecewise aggregate approximation of archive and sequence files, alike for training, test and predict. */
class PiecewiseAggregateTest {
    @TempDir
    Path dir;

    private static double[][] column(double... values) {
        double[][] out = new double[values.length][];
        for (int t = 0; t < values.length; t++) {
            out[t] = new double[]{values[t], -values[t]};
        }
        return out;
    }

    @Test
    void equalSharesAreMeansAndABoundaryValueCountsInBothSegmentsByItsShare() {
        assertArrayEquals(column(1.5, 3.5, 5.5), PiecewiseAggregate.of(column(1, 2, 3, 4, 5, 6), 3));
        // 5 values in 2 segments of 2.5: the middle value counts half in each
        double[][] two = PiecewiseAggregate.of(column(1, 2, 3, 4, 5), 2);
        assertEquals((1 + 2 + 0.5 * 3) / 2.5, two[0][0], 1e-12);
        assertEquals((0.5 * 3 + 4 + 5) / 2.5, two[1][0], 1e-12);
        assertEquals(-two[1][0], two[1][1], 1e-12, "each feature is averaged on its own");
        assertArrayEquals(column(4, 7, 1), PiecewiseAggregate.of(column(4, 7, 1), 3), "as many segments as steps: unchanged");
    }

    @Test
    void anyLengthKeepsTheMeanOfTheWhole() {
        double[] values = new double[251];
        double sum = 0;
        for (int t = 0; t < values.length; t++) {
            values[t] = Math.sin(t * 0.37) + t * 0.01;
            sum += values[t];
        }
        double[][] segments = PiecewiseAggregate.of(column(values), 25);
        assertEquals(25, segments.length);
        double mean = 0;
        for (double[] step : segments) {
            mean += step[0] / 25;
        }
        assertEquals(sum / 251, mean, 1e-12);
    }

    private static final String CONFIG = """
            name: t
            task: {topology: many-to-one, kind: classification}
            data:
              format: ts
              path: %s
              testPath: %s
              segments: 2
              split: {train: 0.5, validation: 0.5, test: 0}
            model: {layers: [{type: lstm, units: 4}]}
            training: {epochs: 1}
            """;

    private Path ts(String name, int cases, int length) throws IOException {
        StringBuilder text = new StringBuilder("@problemName p\n@univariate true\n@classLabel true a b\n@data\n");
        for (int i = 0; i < cases; i++) {
            for (int t = 0; t < length; t++) {
                text.append(t == 0 ? "" : ",").append(i + t);
            }
            text.append(':').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void trainingTestAndPredictionFilesAreReadAsSegments() throws IOException {
        Path train = ts("train.ts", 8, 4);
        Path test = ts("test.ts", 4, 6);
        LoadedConfig loaded = ConfigLoader.parse(CONFIG.formatted(train, test), "t.yaml", List.of());
        SplitData data = DatasetLoader.load(loaded);
        assertEquals(2, data.minLength());
        assertEquals(2, data.maxLength());
        // a training case i..i+3 becomes two means 2 apart; a test case i..i+5, two means 3 apart
        for (SequenceSet set : List.of(data.train(), data.validation(), data.test())) {
            for (int i = 0; i < set.size(); i++) {
                double[][] sequence = set.sequence(i);
                assertEquals(2, sequence.length);
                assertEquals(set == data.test() ? 3 : 2, sequence[1][0] - sequence[0][0], 1e-12);
            }
        }
        assertArrayEquals(new double[][]{{1}, {4}}, data.test().sequence(0), "the test file's 0..5 as two means");
        PredictionInput in = PredictionInput.read(loaded.config().data(), test, 1, 2);
        assertArrayEquals(new double[][]{{2}, {5}}, in.sequences().get(1));
        assertTrue(Task.of(loaded.config()).fixedLength(loaded.config().data()), "a saved model takes its segments, not the file's length");
        assertFalse(Task.of(loaded.config()).fixedLength(loaded.config().data().format()));
    }

    @Test
    void aSequenceShorterThanTheSegmentsIsNamed() throws IOException {
        Path train = ts("train.ts", 8, 4);
        Path test = ts("short.ts", 4, 1);
        LoadedConfig loaded = ConfigLoader.parse(CONFIG.formatted(train, test), "t.yaml", List.of());
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(loaded)).getMessage();
        assertTrue(message.contains("short.ts:5: 1 steps, fewer than data.segments = 2"), message);
    }

    @Test
    void segmentsNeedAFileOfWholeSequencesWithOneLabelEach() {
        assertTrue(Yaml.problems(Yaml.MINIMAL, "data.segments=4").stream()
                .anyMatch(p -> p.contains("data.segments: applies to formats ts, arff and sequence-files")), "generated data");
        List<String> perStep = Yaml.problems("""
                name: t
                task: {topology: many-to-many, kind: classification}
                data: {format: sequence-files, path: ., segments: 4}
                model: {layers: [{type: lstm, units: 4}]}
                """);
        assertTrue(perStep.stream().anyMatch(p -> p.contains("data.segments: averages steps together")), perStep.toString());
        assertTrue(Yaml.problems(Yaml.MINIMAL, "data.segments=-1").stream().anyMatch(p -> p.contains("data.segments")));
    }
}
