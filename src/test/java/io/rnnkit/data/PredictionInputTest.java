package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Prediction input is read in the training layout by the training readers, labels optional. */
class PredictionInputTest {
    @TempDir
    Path dir;

    private static DataConfig data(String yaml) {
        String kind = yaml.contains("series") ? "regression" : "classification";
        return ConfigLoader.parseWithoutFileChecks("name: t\ntask: {kind: " + kind + "}\ndata:\n" + yaml
                + "model: {layers: [{type: lstm, units: 4}]}\n", "t.yaml").data();
    }

    @Test
    void rowsMayCarryTheirLabelColumnOrNot() throws IOException {
        DataConfig ucr = data("  format: rows\n  path: x\n  delimiter: whitespace\n  labels: {from: first-column}\n");
        Path labelled = Files.writeString(dir.resolve("test.txt"), "  1  0.5 0.25 2 3\n -1  1 2 3 4\n");
        PredictionInput in = PredictionInput.read(ucr, labelled, 1, 4);
        assertEquals(2, in.sequences().size());
        assertArrayEquals(new double[][]{{0.5}, {0.25}, {2}, {3}}, in.sequences().get(0));
        assertEquals(List.of("1", "2"), in.keys());
        assertEquals("line", in.keyName());
        assertEquals(List.of(labelled + ":1", labelled + ":2"), in.origins());

        Path unlabelled = Files.writeString(dir.resolve("new.txt"), "0.5 0.25 2 3\n");
        assertArrayEquals(new double[][]{{0.5}, {0.25}, {2}, {3}}, PredictionInput.read(ucr, unlabelled, 1, 4).sequences().get(0));
    }

    @Test
    void sequenceFilesNeedNoLabelsFolder() throws IOException {
        Files.createDirectories(dir.resolve("features"));
        Files.writeString(dir.resolve("features/0.csv"), "1,2\n3,4\n5,6\n");
        Files.writeString(dir.resolve("features/1.csv"), "7,8\n");
        PredictionInput in = PredictionInput.read(data("  format: sequence-files\n  path: x\n"), dir, 2, 0);
        assertEquals(List.of("0.csv", "1.csv"), in.keys());
        assertArrayEquals(new double[][]{{1, 2}, {3, 4}, {5, 6}}, in.sequences().get(0));
        assertArrayEquals(new double[][]{{7, 8}}, in.sequences().get(1));
        assertEquals("file", in.keyName());
    }

    @Test
    void aSeriesBecomesTheWindowEndingAtEveryStep() throws IOException {
        Path csv = Files.writeString(dir.resolve("s.csv"), "Month,Value\n2000-01,1\n2000-02,2\n2000-03,3\n2000-04,4\n");
        DataConfig series = data("  format: series\n  path: x\n  series: {timeColumn: Month, timeFormat: yyyy-MM}\n  window: {lookback: 3}\n");
        PredictionInput in = PredictionInput.read(series, csv, 1, 3);
        assertEquals(List.of("2000-03", "2000-04"), in.keys(), "each window is keyed by the time of its last step");
        assertEquals("Month", in.keyName());
        assertArrayEquals(new double[][]{{2}, {3}, {4}}, in.sequences().get(1));
        assertEquals(List.of(csv + ":4", csv + ":5"), in.origins());
        assertEquals(csv + ": 4 steps, but the model forecasts from windows of 5 steps (data.window.lookback)",
                org.junit.jupiter.api.Assertions.assertThrows(DataException.class, () -> PredictionInput.read(series, csv, 1, 5)).getMessage());
    }
}
