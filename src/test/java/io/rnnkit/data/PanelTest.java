package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many series in one long-format file (data.series.idColumns): grouping, per-series checks, windows and splits. */
class PanelTest {
    @TempDir
    Path dir;

    /**
     * Quarterly rows {@code Quarter,Region,Purpose,Trips} of two series, their rows interleaved: ("Alpha, North",
     * Business) of {@code alpha} quarters and (Beta, Holiday) of {@code beta}; every value is 1000·series + step, so a
     * window shows which series and steps it read.
     */
    static String panel(int alpha, int beta) {
        StringBuilder csv = new StringBuilder("Quarter,Region,Purpose,Trips\n");
        for (int t = 0; t < Math.max(alpha, beta); t++) {
            String quarter = (1998 + t / 4) + " Q" + (t % 4 + 1);
            if (t < alpha) {
                csv.append(quarter).append(",\"Alpha, North\",Business,").append(1000 + t).append('\n');
            }
            if (t < beta) {
                csv.append(quarter).append(",Beta,Holiday,").append(2000 + t).append('\n');
            }
        }
        return csv.toString();
    }

    static String config(Path csv, String series) {
        return """
                name: panel
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: Quarter, idColumns: [Region, Purpose], seasonalPeriod: 4%s}
                  window: {lookback: 4, horizon: 2}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16}
                """.formatted(csv, series);
    }

    private LoadedConfig loaded(String csv, String series) throws IOException {
        Path file = Files.writeString(dir.resolve("panel.csv"), csv);
        return ConfigLoader.parse(config(file, series), "panel.yaml", List.of());
    }

    @Test
    void rowsAreGroupedBySeriesInTheOrderTheyFirstAppear() throws IOException {
        LoadedConfig c = loaded(panel(40, 48), "");
        List<SeriesLayout.Series> all = SeriesLayout.readAll(Path.of(c.config().data().path()), c.config().data(), c.locations(), null);
        assertEquals(2, all.size());
        assertEquals(List.of("Alpha, North", "Business"), all.get(0).id());
        assertEquals(List.of("Beta", "Holiday"), all.get(1).id());
        assertEquals(40, all.get(0).values().length);
        assertEquals(48, all.get(1).values().length);
        assertEquals(List.of("Trips"), all.get(0).columns(), "id and time columns are not inputs");
        assertEquals(2039, all.get(1).values()[39][0]);
        assertEquals("2007 Q4", all.get(1).times().get(39));
    }

    @Test
    void eachSeriesIsSplitOnItsOwnAndNoWindowCrossesSeries() throws IOException {
        LoadedConfig c = loaded(panel(40, 48), "");
        SplitData split = DatasetLoader.load(c);
        SplitData.Panel panel = split.forecast().panel();
        assertEquals(List.of(List.of("Alpha, North", "Business"), List.of("Beta", "Holiday")), panel.ids());
        assertEquals(List.of(0, 40, 88), java.util.Arrays.stream(panel.offsets()).boxed().toList());
        int[] lengths = {40, 48};
        SequenceSet[] parts = {split.train(), split.validation(), split.test()};
        int[][] perSeries = new int[3][2];
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < parts[p].size(); i++) {
                int k = panel.seriesOf(parts[p].origin(i));
                int origin = parts[p].origin(i) - panel.offsets()[k];
                perSeries[p][k]++;
                int[] starts = ForecastWindowing.partStarts(lengths[k], c.config().data().split());
                // every target of the window lies in this part of its own series
                int part = origin >= starts[1] ? 2 : origin >= starts[0] ? 1 : 0;
                assertEquals(p, part, "window at step " + origin + " of series " + k);
                int series = 1000 * (k + 1);
                for (double[] step : parts[p].sequence(i)) {
                    assertEquals(series, (int) step[0] / 1000 * 1000, "a window read another series");
                }
                assertEquals(series + origin, parts[p].target(i)[0]);
                assertEquals(series + origin - 1, parts[p].sequence(i)[3][0], "inputs end just before the first target");
            }
        }
        // 40 quarters: test from step 34, validation from 28, first target at 4 (a season in); 48: test 41, validation 34
        assertEquals(List.of(23, 5, 5), List.of(perSeries[0][0], perSeries[1][0], perSeries[2][0]));
        assertEquals(List.of(29, 6, 6), List.of(perSeries[0][1], perSeries[1][1], perSeries[2][1]));
        // the seasonal-naive baseline reads each series' own past: a season before the first test target of series 2
        double[] laidOut = split.forecast().series();
        assertEquals(2041 - 4, laidOut[40 + 41 - 4]);
    }

    @Test
    void aTimeFaultNamesTheFileLineAndSeries() throws IOException {
        String csv = panel(12, 12).replace("1999 Q2,Beta,Holiday,2005", "1999 Q1,Beta,Holiday,2005");
        BadInputException e = assertThrows(BadInputException.class, () -> DatasetLoader.load(loaded(csv, "")));
        assertTrue(e.getMessage().contains("panel.csv:13: time ") && e.getMessage().contains(" repeats line 11"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(series Region=Beta, Purpose=Holiday)"), e.getMessage());
    }

    @Test
    void aSeriesTooShortForAWindowIsNamed() throws IOException {
        BadInputException e = assertThrows(BadInputException.class, () -> DatasetLoader.load(loaded(panel(40, 8), "")));
        assertTrue(e.getMessage().contains("series Region=Beta, Purpose=Holiday: "), e.getMessage());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    @Test
    void anUnknownIdColumnIsRefusedWithItsYamlPath() throws IOException {
        String csv = panel(12, 12);
        Path file = Files.writeString(dir.resolve("panel.csv"), csv);
        LoadedConfig c = ConfigLoader.parse(config(file, "").replace("idColumns: [Region, Purpose]", "idColumns: [Region, Purpos]"),
                "panel.yaml", List.of());
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.load(c));
        assertTrue(e.getMessage().contains("data.series.idColumns[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("no column 'Purpos'") && e.getMessage().contains("Purpose"), e.getMessage());
    }

    @Test
    void configRulesKeepIdColumnsApartAndPerSeriesNeedsThem() throws IOException {
        Path file = Files.writeString(dir.resolve("panel.csv"), panel(12, 12));
        List<String> messages = new ArrayList<>();
        for (String yaml : List.of(
                config(file, ", valueColumns: [Trips, Region]"),
                config(file, ", normalizerScope: per-series").replace("idColumns: [Region, Purpose], ", ""),
                config(file, ", normalizerScope: per-series").replace("data:\n", "data:\n  normalizer: none\n"),
                config(file, "").replace("idColumns: [Region, Purpose]", "idColumns: [Quarter, Region]"))) {
            messages.add(assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "panel.yaml", List.of())).getMessage());
        }
        assertTrue(messages.get(0).contains("data.series.idColumns[0]") && messages.get(0).contains("also a value column"), messages.get(0));
        assertTrue(messages.get(1).contains("data.series.normalizerScope") && messages.get(1).contains("needs data.series.idColumns"), messages.get(1));
        assertTrue(messages.get(2).contains("data.series.normalizerScope") && messages.get(2).contains("normalizer is none"), messages.get(2));
        assertTrue(messages.get(3).contains("data.series.idColumns[0]") && messages.get(3).contains("time column"), messages.get(3));
    }

    @Test
    void categoriesAreLearntFromTheTrainingPartOfEverySeries() throws IOException {
        // Alpha sees only Sun in training, Beta only Rain; a Hail in Beta's test part reads as <other>
        StringBuilder csv = new StringBuilder("Quarter,Region,Purpose,Trips,Weather\n");
        for (int t = 0; t < 40; t++) {
            String quarter = (1998 + t / 4) + " Q" + (t % 4 + 1);
            csv.append(quarter).append(",Alpha,Business,").append(10 + t).append(",Sun\n");
            csv.append(quarter).append(",Beta,Holiday,").append(20 + t).append(t == 39 ? ",Hail\n" : ",Rain\n");
        }
        LoadedConfig c = loaded(csv.toString(), ", categorical: [Weather]");
        SplitData split = DatasetLoader.load(c);
        assertEquals(List.of("Trips", "Weather=Rain", "Weather=Sun", "Weather=<other>"), split.featureNames());
        assertEquals(java.util.Map.of("Weather", List.of("Rain", "Sun", "<other>")), split.forecast().categories().byColumn());
        SequenceSet test = split.test();
        double[] lastOfBeta = test.sequence(test.size() - 1)[3];
        assertEquals(List.of(57.0, 1.0, 0.0, 0.0), java.util.Arrays.stream(lastOfBeta).boxed().toList(), "Beta's step 37: Rain");
        java.util.Map<?, ?> other = (java.util.Map<?, ?>) split.forecast().report().read().get("categories_other");
        assertEquals(java.util.Map.of("Weather", 1), other.get("test"), "one step of Hail, in Beta's test part, counted over the series");
        assertEquals(java.util.Map.of(), other.get("train"), "training reads no category as <other>");
    }
}
