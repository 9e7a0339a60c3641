package io.rnnkit.data;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An anomaly detector and a tagger per step over a series streamed from its cache ({@link StreamedSeries}): the splits,
 * labelled windows and step times are those of the series read whole, on NAB's files as published and on a series whose
 * gaps are filled; what stays refused is refused at its YAML path.
 */
class StreamedSeriesTasksTest {
    @TempDir
    Path dir;

    private LoadedConfig shipped(String name, String streaming) {
        return ConfigLoader.load(Path.of("configs", name + ".yaml"), List.of("data.streaming.enabled=" + streaming,
                "data.streaming.cacheDir=" + dir.resolve("cache")));
    }

    @Test
    void anAnomalyDetectorsSplitWindowsAndTimesAreThoseOfTheSeriesReadWhole() {
        TestData.require("nab/data/realKnownCause/ambient_temperature_system_failure.csv");
        String name = "nab-ambient-temperature-anomaly"; // NAB's series with gaps, cut as in memory
        SplitData memory = DatasetLoader.loadForTraining(shipped(name, "never"), n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(shipped(name, "always"), n -> { });
        assertTrue(streamed.train().streamed() && !memory.train().streamed());
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        for (SequenceSet[] pair : new SequenceSet[][]{{memory.train(), streamed.train()}, {memory.validation(), streamed.validation()},
                {memory.test(), streamed.test()}}) {
            assertEquals(pair[0].size(), pair[1].size());
            for (int i = 0; i < pair[0].size(); i++) {
                assertEquals(pair[0].origin(i), pair[1].origin(i));
                assertArrayEquals(pair[0].target(i), pair[1].target(i), 0);
                assertArrayEquals(pair[0].sequence(i), pair[1].sequence(i), "window " + i);
            }
        }
        SplitData.Forecast a = memory.forecast();
        SplitData.Forecast b = streamed.forecast();
        assertTrue(a.windows().length > 0);
        assertArrayEquals(a.windows(), b.windows());
        assertArrayEquals(a.series(), b.series(), 0);
        assertEquals(a.times(), b.times()); // read from the cache's time index, a step at a time
    }

    @Test
    void aTaggersChunksAndLabelsAreThoseOfTheSeriesReadWhole() {
        TestData.require("nab/data/realKnownCause/nyc_taxi.csv");
        SplitData memory = DatasetLoader.loadForTraining(shipped("nyc-taxi-tagger", "never"), n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(shipped("nyc-taxi-tagger", "always"), n -> { });
        SameSplits.assertPerStepSplitsEqual(memory, streamed);
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertEquals(207, streamed.validation().labelCounts(2)[streamed.classes().indexOf("anomaly")]);
    }

    /** Half-hourly steps written with seconds (so a step filled in a gap, shown as computed, reads otherwise), three missing. */
    private Path gappy() throws IOException {
        StringBuilder text = new StringBuilder("timestamp,value\n");
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int t = 0; t < 400; t++) {
            if (t < 150 || t > 152) {
                text.append(start.plusMinutes(30L * t).toString().replace('T', ' ')).append(":00,").append(Math.sin(0.3 * t)).append('\n');
            }
        }
        return Files.writeString(dir.resolve("gappy.csv"), text);
    }

    private LoadedConfig tagger(Path csv, String streaming) throws IOException {
        return tagger(csv, streaming, "{}");
    }

    private LoadedConfig tagger(Path csv, String streaming, String missing) throws IOException {
        Path windows = Files.writeString(dir.resolve("windows.json"), """
                {"gappy.csv": [["2020-01-02 12:00:00.000000", "2020-01-03 06:00:00.000000"],
                               ["2020-01-08 06:00:00.000000", "2020-01-08 09:00:00.000000"]]}
                """);
        Path file = Files.writeString(dir.resolve("tagger-" + streaming + ".yaml"), """
                name: gappy-tagger
                seed: 3
                task: {topology: many-to-many, kind: classification}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: timestamp, gapFill: linear, maxGap: 3}
                  labels: {windows: %s, key: gappy.csv}
                  window: {length: 40, stride: 10}
                  split: {train: 0.7, validation: 0.1, test: 0.2}
                  missing: %s
                  streaming: {enabled: %s, cacheDir: %s}
                training: {epochs: 1, batchSize: 8}
                model:
                  layers:
                    - {type: gru, units: 4}
                """.formatted(csv, windows, missing, streaming, dir.resolve("cache")));
        return ConfigLoader.load(file, List.of());
    }

    @Test
    void theTimesOfStepsFilledInAGapAreShownAsTheWholeFileReaderShowsThem() throws IOException {
        Path csv = gappy();
        LoadedConfig always = tagger(csv, "always");
        SplitData streamed = DatasetLoader.loadForTraining(always, n -> { });
        SplitData memory = DatasetLoader.loadForTraining(tagger(csv, "never"), n -> { });
        SameSplits.assertPerStepSplitsEqual(memory, streamed);
        assertEquals(memory.fingerprint(), streamed.fingerprint());

        ConfigLocations where = always.locations();
        SeriesLayout.Series whole = SeriesLayout.read(csv, always.config().data(), where, null);
        SeriesTimes times = SeriesCache.of(always.config().data(), where).times();
        assertEquals(400, whole.times().size());
        assertEquals(whole.times(), times.texts());
        assertEquals(whole.stamps(), times.stamps());
        // a row's time as written, a filled step's as computed
        assertEquals("2020-01-04 02:30:00", times.texts().get(149));
        assertEquals("2020-01-04 03:00", times.texts().get(150));
        assertNotEquals(whole.times().get(149).length(), whole.times().get(150).length());
    }

    /**
     * A tagger with missing values reads the filled features streamed, as the forecaster does: the same chunks, the same
     * mask features, the same rows dropped (a dropped row ends a chunk), and one epoch ends with the same metrics.json.
     */
    @Test
    void aTaggersMissingValuesAreFilledStreamedAsReadWhole() throws IOException {
        StringBuilder text = new StringBuilder("timestamp,value,load\n");
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int t = 0; t < 400; t++) {
            String value = t % 37 == 5 ? "NA" : String.valueOf(Math.sin(0.3 * t));
            String load = t % 23 == 7 || t == 0 ? "?" : String.valueOf(Math.cos(0.1 * t));
            text.append(start.plusMinutes(30L * t).toString().replace('T', ' ')).append(':').append("00,").append(value).append(',')
                    .append(load).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("gappy.csv"), text);
        for (String missing : new String[]{"{markers: [NA, '?'], policy: drop, columns: [{column: load, policy: mask}]}",
                "{markers: [NA, '?'], policy: linear, columns: [{column: load, policy: forward-fill}]}"}) {
            LoadedConfig always = tagger(csv, "always", missing);
            LoadedConfig never = tagger(csv, "never", missing);
            SplitData streamed = DatasetLoader.loadForTraining(always, n -> { });
            SplitData memory = DatasetLoader.loadForTraining(never, n -> { });
            assertTrue(streamed.train().streamed(), missing);
            SameSplits.assertPerStepSplitsEqual(memory, streamed);
            assertEquals(memory.fingerprint(), streamed.fingerprint(), missing);
            assertEquals(memory.featureNames(), streamed.featureNames(), missing);
            boolean masked = missing.contains("mask");
            assertEquals(masked, streamed.featureNames().contains("load_missing"), streamed.featureNames().toString());
            // dropped, the 8 rows with NA in the 280 training steps end a chunk: 9 runs, each shorter than a chunk; filled,
            // the chunks start every 10 steps
            assertEquals(masked ? 9 : 25, streamed.train().size(), missing);
        }
        String missing = "{markers: [NA, '?'], policy: drop, columns: [{column: load, policy: mask}]}";
        for (String streaming : new String[]{"never", "always"}) {
            tagger(csv, streaming, missing);
            assertEquals(0, io.rnnkit.cli.Main.run("train", dir.resolve("tagger-" + streaming + ".yaml").toString(), "--out",
                    dir.resolve("run-" + streaming).toString()));
        }
        assertEquals(-1, Files.mismatch(dir.resolve("run-never/metrics.json"), dir.resolve("run-always/metrics.json")));
    }

    /**
     * A detector or a tagger of many series of one file is refused at data.series.idColumns, read whole (where the
     * detector scanned the series end to end as one and the tagger stopped on an internal error) as streamed.
     */
    @Test
    void aDetectorOrTaggerOfManySeriesIsRefusedAtItsYamlPathStreamedOrNot() throws IOException {
        Path csv = Files.writeString(dir.resolve("two.csv"), "t,id,y\n2020-01-01 00:00,a,1\n2020-01-01 01:00,a,2\n"
                + "2020-01-01 00:00,b,3\n2020-01-01 01:00,b,4\n");
        Path windows = Files.writeString(dir.resolve("w.json"), "{\"two.csv\": [[\"2020-01-01 00:00\", \"2020-01-01 01:00\"]]}");
        String detector = "task: {kind: anomaly}\n  window: {lookback: 3, horizon: 1}";
        String tagger = "task: {topology: many-to-many, kind: classification}\n  labels: {windows: " + windows + ", key: two.csv}\n"
                + "  window: {length: 2}";
        for (String task : new String[]{detector, tagger}) {
            String[] parts = task.split("\n", 2);
            Path file = Files.writeString(dir.resolve("panel.yaml"), """
                    name: panel
                    %s
                    data:
                      format: series
                      path: %s
                      series: {timeColumn: t, idColumns: [id]}
                    %s
                    model:
                      layers:
                        - {type: lstm, units: 4}
                    """.formatted(parts[0], csv, parts[1]));
            for (String streaming : new String[]{"never", "always", "auto"}) {
                ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(file,
                        List.of("data.streaming.enabled=" + streaming, "data.streaming.cacheDir=" + dir.resolve("cache"))), n -> { }));
                assertTrue(e.getMessage().contains("data.series.idColumns:") && e.getMessage().contains((task == detector
                        ? "an anomaly detector" : "a series tagged per step") + " reads one series, not many of one file"), e.getMessage());
            }
        }
    }
}
