package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.MissingColumn;
import io.rnnkit.config.MissingConfig;
import io.rnnkit.config.MissingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data.missing: markers per file and column, each policy, the training-only fit, and targets never scored. */
class MissingValuesTest {
    private static final double NA = Double.NaN;

    @TempDir
    Path dir;

    private static MissingValues.Filled fill(MissingPolicy policy, double[] column, int validationStart) {
        double[][] raw = Arrays.stream(column).mapToObj(v -> new double[]{v}).toArray(double[][]::new);
        MissingValues values = MissingValues.of(new MissingConfig(List.of("NA"), policy, List.of()), List.of("v"), Path.of("f.csv"),
                new ConfigLocations("t.yaml"));
        return values.fill(raw, validationStart, column.length);
    }

    private static double[] column(MissingValues.Filled filled, int c) {
        return Arrays.stream(filled.values()).mapToDouble(r -> r[c]).toArray();
    }

    @Test
    void forwardFillCarriesTheLastValueAndStartsFromTheTrainingMean() {
        MissingValues.Filled f = fill(MissingPolicy.FORWARD_FILL, new double[]{NA, 2, 4, NA, NA, 100, NA}, 3);
        assertArrayEquals(new double[]{3, 2, 4, 4, 4, 100, 100}, column(f, 0), "the mean is fitted on the training rows 0-2 only");
        assertArrayEquals(new int[]{1, 3, 0}, new int[]{f.filled()[0][0], f.filled()[1][0], f.filled()[2][0]}, "filled per split");
    }

    @Test
    void linearInterpolatesAndSaysHowFarAheadItRead() {
        MissingValues.Filled f = fill(MissingPolicy.LINEAR, new double[]{1, NA, 3, NA, NA, 6, NA}, 7);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6, 6}, column(f, 0), 1e-12);
        assertArrayEquals(new int[]{0, 2, 2, 5, 5, 5, 6}, f.readsUpTo());
    }

    @Test
    void maskFillsTheTrainingMeanAndAddsAnIndicator() {
        MissingValues.Filled f = fill(MissingPolicy.MASK, new double[]{1, NA, 3, 50}, 3);
        assertEquals(List.of("v", "v_missing"), f.columns());
        assertArrayEquals(new double[]{1, 2, 3, 50}, column(f, 0));
        assertArrayEquals(new double[]{0, 1, 0, 0}, column(f, 1));
    }

    @Test
    void dropMarksTheRowsNoWindowMayRead() {
        MissingValues.Filled f = fill(MissingPolicy.DROP, new double[]{1, NA, 3}, 3);
        assertArrayEquals(new boolean[]{false, true, false}, f.dropRow());
        assertTrue(Arrays.stream(column(f, 0)).allMatch(Double::isFinite));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static LoadedConfig series(Path file, String missing, String extra) {
        return ConfigLoader.parse("name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: " + file + "\n" + extra
                + "  series: {timeColumn: t, target: v}\n  missing: " + missing + "\n"
                + "  window: {lookback: 2, horizon: 1}\n  split: {train: 0.5, validation: 0, test: 0.5}\n"
                + "model: {layers: [{type: lstm, units: 4}]}\ntraining: {earlyStopping: {patience: 0, restoreBest: false}}\n", "t.yaml", List.of());
    }

    @Test
    void markersAreMatchedPerFileAndPerColumnAndSentinelsByValue() throws IOException {
        Path f = write("m.csv", "t;v;w\n1;NA;-200\n2;;-200,0\n3;?;-200,00\n4;-200;7\n5;1,5;2\n");
        LoadedConfig c = series(f, "{markers: [NA, '', '?'], columns: [{column: w, markers: [-200]}]}", "  delimiter: semicolon\n  decimal: comma\n");
        SeriesLayout.Series s = SeriesLayout.read(f, c.config().data(), c.locations(), null);
        double[] v = Arrays.stream(s.values()).mapToDouble(r -> r[0]).toArray();
        double[] w = Arrays.stream(s.values()).mapToDouble(r -> r[1]).toArray();
        assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[1]) && Double.isNaN(v[2]), Arrays.toString(v));
        assertEquals(-200, v[3], "-200 is a marker of w only");
        assertTrue(Double.isNaN(w[0]) && Double.isNaN(w[1]) && Double.isNaN(w[2]), "-200, -200,0 and -200,00 are the sentinel: " + Arrays.toString(w));
        LoadedConfig fileMarkersOnly = series(f, "{markers: [NA, '', '?']}", "  delimiter: semicolon\n  decimal: comma\n");
        SeriesLayout.Series plain = SeriesLayout.read(f, fileMarkersOnly.config().data(), fileMarkersOnly.locations(), null);
        assertEquals(-200, plain.values()[1][1], "without w's own markers, -200,0 is a value");
    }

    @Test
    void aMissingTargetIsNeverTrainedOnOrScoredAndTheCountsAreReported() throws IOException {
        StringBuilder text = new StringBuilder("t,v\n");
        double[] v = {1, 2, 3, 4, NA, 6, 7, 8, 9, 10, 11, NA, 13, NA, 15, 16, 17, 18, 19, 20};
        for (int i = 0; i < v.length; i++) {
            text.append(i).append(',').append(Double.isNaN(v[i]) ? "NA" : Double.toString(v[i])).append('\n');
        }
        SplitData data = DatasetLoader.load(series(write("t.csv", text.toString()), "{markers: [NA], policy: forward-fill}", ""));
        // test part: rows 10-19 as targets; 11 and 13 are missing, so 8 windows
        assertEquals(8, data.test().size());
        List<Double> targets = java.util.stream.IntStream.range(0, data.test().size()).mapToObj(i -> data.test().target(i)[0]).toList();
        assertEquals(List.of(11.0, 13.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0), targets, "no filled value is a target");
        // the window before target 13 ends on row 11, missing: it reads the forward-filled 11, as persistence does
        assertEquals(11.0, data.test().sequence(1)[1][0]);
        Map<String, Object> test = data.forecast().report().splits().get("test");
        assertEquals(Map.of("values", Map.of("v", 2), "windowsDropped", 0, "targetsMissing", 2), test);
        assertEquals(1, data.forecast().report().splits().get("train").get("targetsMissing"), "row 4 (a train target)");
    }

    @Test
    void dropAndLinearDropTheWindowsTheyMustAndSaySo() throws IOException {
        String text = "t,v,w\n" + "0,1,1\n1,2,NA\n2,3,3\n3,4,4\n4,5,5\n5,6,6\n6,7,NA\n7,8,8\n8,9,9\n9,10,10\n";
        SplitData dropped = DatasetLoader.load(series(write("d.csv", text), "{markers: [NA], policy: drop}", ""));
        // windows are rows [s, s+2) → target s+2; w missing at rows 1 and 6 rules out s = 0, 1 (train) and 5, 6 (test)
        assertEquals(Map.of("values", Map.of("w", 1), "windowsDropped", 2, "targetsMissing", 0), dropped.forecast().report().splits().get("test"));
        assertEquals(1, dropped.train().size(), "train windows s = 0, 1, 2 less s = 0, 1");
        assertEquals(3, dropped.test().size(), "test windows s = 3 … 7 less s = 5, 6");
        SplitData linear = DatasetLoader.load(series(write("l.csv", text), "{markers: [NA], policy: linear}", ""));
        // a value interpolated from the window's own target would leak it: s = 0 (row 1 reads row 2) and s = 5 (row 6 reads 7)
        assertEquals(1, linear.forecast().report().splits().get("test").get("windowsDropped"));
        assertEquals(1, linear.forecast().report().splits().get("train").get("windowsDropped"));
    }

    @Test
    void aPerColumnPolicyOverridesTheFilesAndUnknownColumnsAreRefused() throws IOException {
        Path f = write("p.csv", "t,v,w\n0,1,1\n1,NA,NA\n2,3,3\n3,4,4\n4,5,5\n5,6,6\n6,7,7\n7,8,8\n");
        SplitData data = DatasetLoader.load(series(f, "{markers: [NA], policy: forward-fill, columns: [{column: w, policy: mask}]}", ""));
        assertEquals(List.of("v", "w", "w_missing"), data.featureNames());
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(series(f, "{markers: [NA], columns: [{column: x}]}", "")))
                .getMessage();
        assertTrue(message.contains("data.missing.columns[0].column") && message.contains("'x' is not among the value columns [v, w]"), message);
        String rows = assertThrows(BadInputException.class, () -> ConfigLoader.parse("name: t\ntask: {kind: classification}\n"
                + "data: {format: rows, path: " + f + ", labels: {from: first-column}, missing: {markers: [NA]}}\nmodel: {layers: [{type: lstm, units: 4}]}\n",
                "t.yaml", List.of())).getMessage();
        assertTrue(rows.contains("data.missing") && rows.contains("format: series only"), rows);
    }
}
