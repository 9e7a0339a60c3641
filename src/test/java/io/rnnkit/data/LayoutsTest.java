package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutsTest {
    @TempDir
    Path dir;

    private LoadedConfig config(String dataYaml, String kind) {
        return ConfigLoader.parse("name: t\ntask: {kind: " + kind + "}\ndata:\n" + dataYaml + "model: {layers: [{type: lstm, units: 4}]}\n",
                "t.yaml", List.of());
    }

    @Test
    void sequenceFilesReadOneFilePerSequenceWithVariableLengths() throws IOException {
        Files.createDirectories(dir.resolve("features"));
        Files.createDirectories(dir.resolve("labels"));
        for (int i = 0; i < 8; i++) {
            StringBuilder steps = new StringBuilder();
            for (int t = 0; t < 3 + i % 3; t++) {
                steps.append(i).append(',').append(t).append('\n');
            }
            Files.writeString(dir.resolve("features/" + i + ".csv"), steps);
            Files.writeString(dir.resolve("labels/" + i + ".csv"), (i % 2) + "\n");
        }
        SplitData data = DatasetLoader.load(config("  format: sequence-files\n  path: " + dir
                + "\n  split: {train: 0.5, validation: 0.25, test: 0.25}\n", "classification"));
        assertEquals(2, data.features());
        assertEquals(List.of("0", "1"), data.classes());
        assertEquals(3, data.minLength());
        assertEquals(5, data.maxLength());
        assertEquals(8, data.train().size() + data.validation().size() + data.test().size());
    }

    @Test
    void sequenceFilesRejectPerStepLabelsForManyToOne() throws IOException {
        Files.createDirectories(dir.resolve("features"));
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("features/0.csv"), "1\n2\n");
        Files.writeString(dir.resolve("labels/0.csv"), "0\n1\n");
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(config("  format: sequence-files\n  path: " + dir + "\n",
                "classification"))).getMessage();
        assertEquals(dir.resolve("labels/0.csv") + ":1: expected one label for the whole sequence, found 2 rows"
                + " (per-step labels need task.topology: many-to-many)", message);
    }

    @Test
    void sequenceFilesNeedMatchingLabelFiles() throws IOException {
        Files.createDirectories(dir.resolve("features"));
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("features/0.csv"), "1\n2\n");
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(config("  format: sequence-files\n  path: " + dir + "\n",
                "classification"))).getMessage();
        assertEquals(dir.resolve("labels/0.csv") + ": missing; every features/N.csv needs a labels/N.csv", message);
    }

    @Test
    void seriesBecomesChronologicalWindowsWithoutStraddling() throws IOException {
        StringBuilder csv = new StringBuilder("\"Month\",\"Value\"\n");
        for (int i = 0; i < 40; i++) {
            csv.append(String.format("\"19%02d-01\",%d%n", 50 + i, i * 10));
        }
        Path f = Files.writeString(dir.resolve("series.csv"), csv);
        SplitData data = DatasetLoader.load(config("  format: series\n  path: " + f + "\n  series: {timeColumn: Month, timeFormat: yyyy-MM}\n"
                + "  window: {lookback: 4, horizon: 2}\n  split: {train: 0.5, validation: 0.25, test: 0.25}\n", "regression"));
        // steps 0-19 train, 20-29 validation, 30-39 test; a window belongs where all its targets are
        assertEquals(20 - 4 - 2 + 1, data.train().size());
        assertEquals(9, data.validation().size());
        assertEquals(9, data.test().size());
        assertArrayEquals(new double[]{300, 310}, data.test().target(0));
        assertEquals(260, data.test().sequence(0)[0][0]);
        assertArrayEquals(new double[]{380, 390}, data.test().target(data.test().size() - 1));
        assertEquals(List.of("t+1", "t+2"), data.classes());
        assertEquals(10.0, data.forecast().scale(), 1e-12); // naive one-step error on the training part
    }

    @Test
    void seriesTimeMustParseAndIncrease() throws IOException {
        Path f = Files.writeString(dir.resolve("bad.csv"), "Month,Value\n1950-01,1\n1950-02,2\n1950-02,3\n");
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(config("  format: series\n  path: " + f
                + "\n  series: {timeColumn: Month, timeFormat: yyyy-MM}\n  window: {lookback: 1}\n", "regression"))).getMessage();
        assertEquals(f + ":4: time 1950-02-01 00:00 repeats line 3; set data.series.duplicates: first, last or mean to merge rows with the same time",
                message);

        Path g = Files.writeString(dir.resolve("bad2.csv"), "Month,Value\n1950-01,1\nJanuary,2\n");
        String message2 = assertThrows(BadInputException.class, () -> DatasetLoader.load(config("  format: series\n  path: " + g
                + "\n  series: {timeColumn: Month, timeFormat: yyyy-MM}\n  window: {lookback: 1}\n", "regression"))).getMessage();
        assertEquals(g + ":3: column Month: time 'January' does not match data.series.timeFormat yyyy-MM", message2);
    }

    @Test
    void seriesColumnsAreCheckedByName() throws IOException {
        Path f = Files.writeString(dir.resolve("s.csv"), "Date,Temp\n1981-01-01,20.7\n");
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(config("  format: series\n  path: " + f
                + "\n  series: {timeColumn: Data}\n  window: {lookback: 1}\n", "regression"))).getMessage();
        assertTrue(message.contains("data.series.timeColumn: no column 'Data'") && message.contains("did you mean 'Date'?"), message);
    }

    @Test
    void syntheticControlPatternsHaveTheirShapes() {
        SequenceSet set = SyntheticControl.generate(50, 60, 7);
        double[] slope = new double[6];
        double[] roughness = new double[6];
        for (int i = 0; i < set.size(); i++) {
            double[][] s = set.sequence(i);
            double firstHalf = 0;
            double secondHalf = 0;
            for (int t = 0; t < 30; t++) {
                firstHalf += s[t][0];
                secondHalf += s[t + 30][0];
            }
            slope[set.classOf(i)] += (secondHalf - firstHalf) / 30 / 50;
            double lag = 0;
            for (int t = 1; t < 60; t++) {
                lag += Math.abs(s[t][0] - s[t - 1][0]);
            }
            roughness[set.classOf(i)] += lag / 59 / 50;
        }
        assertEquals(0, slope[0], 1.0);                  // normal: flat
        assertTrue(slope[2] > 6 && slope[3] < -6, "trends: mean gain over 30 steps " + slope[2] + ", " + slope[3]);
        assertTrue(slope[4] > 5 && slope[5] < -5, "shifts: " + slope[4] + ", " + slope[5]);
        assertTrue(roughness[1] > roughness[0] + 1, "cyclic moves more from step to step than normal");
        assertEquals(List.of(50, 50, 50, 50, 50, 50), java.util.Arrays.stream(set.classCounts(6)).boxed().toList());
    }

    @Test
    void stratifiedSplitsKeepClassSharesAndAreSeeded() {
        SequenceSet set = SyntheticControl.generate(20, 10, 1);
        int[][] a = Splits.split(set, new double[]{0.5, 0.25, 0.25}, true, 6, new java.util.Random(3));
        int[][] b = Splits.split(set, new double[]{0.5, 0.25, 0.25}, true, 6, new java.util.Random(3));
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(a[k], b[k]);
        }
        assertEquals(List.of(10, 10, 10, 10, 10, 10), java.util.Arrays.stream(set.subset(a[0]).classCounts(6)).boxed().toList());
        assertEquals(List.of(5, 5, 5, 5, 5, 5), java.util.Arrays.stream(set.subset(a[2]).classCounts(6)).boxed().toList());
    }

    @Test
    void numericLabelsAreCanonical() {
        assertEquals("1", ClassLabels.canonical("1.0000000e+00"));
        assertEquals("-1", ClassLabels.canonical(" -1.0000000e+00"));
        assertEquals("0", ClassLabels.canonical("0.000"));
        assertEquals("2.5", ClassLabels.canonical("2.50"));
        assertEquals("cat", ClassLabels.canonical(" cat "));
        // written out, these took minutes to read back (a hang found by DataFuzzTest); a huge exponent stays one
        assertEquals("1E+1000000", ClassLabels.canonical("10e999999"));
        assertEquals("1E-1000000", ClassLabels.canonical("0.1e-999999"));
        assertEquals(List.of("-1", "1", "10"), ClassLabels.classes(List.of(), List.of("10", "1", "-1.0")));
    }

    @Test
    void relativeWindowsAreMeasuredAgainstTheLastObservationAndTurnBackIntoLevels() {
        SequenceSet windows = SequenceSet.regressed(List.<double[][]>of(new double[][]{{100}, {110}, {120}}), new double[][]{{132, 150}});
        for (io.rnnkit.config.WindowReference reference : io.rnnkit.config.WindowReference.values()) {
            SplitData.Forecast forecast = new SplitData.Forecast(0, 1, 1.0, reference);
            SequenceSet relative = ForecastWindowing.relative(windows, forecast);
            for (int h = 0; h < 2; h++) {
                assertEquals(windows.target(0)[h], ForecastWindowing.level(relative.target(0)[h], 120, reference), 1e-9, reference.name());
            }
        }
        SequenceSet logs = ForecastWindowing.relative(windows, new SplitData.Forecast(0, 1, 1.0, io.rnnkit.config.WindowReference.LOG_RATIO));
        assertEquals(Math.log(100.0 / 120), logs.sequence(0)[0][0], 1e-12);
        assertEquals(0, logs.sequence(0)[2][0], 1e-12);
        assertEquals(Math.log(1.1), logs.target(0)[0], 1e-12);
        SequenceSet differences = ForecastWindowing.relative(windows, new SplitData.Forecast(0, 1, 1.0, io.rnnkit.config.WindowReference.DIFFERENCE));
        assertArrayEquals(new double[]{12, 30}, differences.target(0), 1e-12);
    }
}
