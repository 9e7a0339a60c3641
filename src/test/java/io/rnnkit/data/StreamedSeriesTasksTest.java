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
                  streaming: {enabled: %s, cacheDir: %s}
                model:
                  layers:
                    - {type: gru, units: 4}
                """.formatted(csv, windows, streaming, dir.resolve("cache")));
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

    @Test
    void whatStaysRefusedIsRefusedAtItsYamlPath() throws IOException {
        TestData.require("nab/data/realKnownCause/nyc_taxi.csv");
        List<String> always = new ArrayList<>(List.of("data.streaming.enabled=always", "data.streaming.cacheDir=" + dir.resolve("cache")));
        LoadedConfig semi = ConfigLoader.load(Path.of("configs/nab-nyc-taxi-anomaly.yaml"),
                concat(always, "task.anomaly.semiSupervised=true"));
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(semi, n -> { }));
        assertTrue(e.getMessage().contains("task.anomaly.semiSupervised:") && e.getMessage().contains("data.streaming.enabled: never"),
                e.getMessage());

        Path csv = Files.writeString(dir.resolve("two.csv"), "t,id,y\n1,a,1\n2,a,2\n1,b,3\n2,b,4\n");
        Path panel = Files.writeString(dir.resolve("panel.yaml"), """
                name: panel-anomaly
                task: {kind: anomaly}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, idColumns: [id]}
                  window: {lookback: 3, horizon: 1}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(csv));
        LoadedConfig many = ConfigLoader.load(panel, always);
        ConfigException refused = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(many, n -> { }));
        assertTrue(refused.getMessage().contains("data.series.idColumns:") && refused.getMessage().contains("an anomaly detector reads one series"),
                refused.getMessage());
        // auto reads such data whole, as before
        assertTrue(!StreamedSplit.streams(ConfigLoader.load(panel, List.of("data.streaming.enabled=auto",
                "data.streaming.thresholdBytes=1")).config(), many.locations()));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }
}
