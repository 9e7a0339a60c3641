package io.rnnkit.data;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series through the streaming path ({@link SeriesCache}): the splits cut from the mapped cache are the in-memory
 * path's to the bit (windows, origins, targets, MASE scale, report, fingerprint), and what the path cannot stream is
 * refused at its YAML path, or for rows it cannot take at their line.
 */
class SeriesStreamingTest {
    @TempDir
    Path dir;

    private LoadedConfig shipped(String name, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("data.streaming.cacheDir=" + dir.resolve("cache"));
        return ConfigLoader.load(Path.of("configs", name + ".yaml"), all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"airline-passengers-lstm", "daily-min-temperatures-lstm", "daily-min-temperatures-recursive-lstm"})
    void theSplitsOfTheCacheAreThoseOfTheSeriesReadWhole(String name) {
        SplitData memory = DatasetLoader.loadForTraining(shipped(name, "data.streaming.enabled=never"), n -> { });
        List<String> notes = new ArrayList<>();
        SplitData streamed = DatasetLoader.loadForTraining(shipped(name, "data.streaming.enabled=always"), notes::add);
        assertTrue(notes.get(0).startsWith("data: streamed from the cache") && notes.get(0).contains("built in"), notes.toString());
        assertFalse(memory.train().streamed());
        assertTrue(streamed.train().streamed() && streamed.validation().streamed() && streamed.test().streamed());
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertEquals(memory.classes(), streamed.classes());
        assertEquals(memory.forecast().scale(), streamed.forecast().scale(), 0);
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        assertEquals(memory.forecast().categories(), streamed.forecast().categories());
        assertSameWindows(memory, streamed);
        // a second run reuses the cache
        List<String> again = new ArrayList<>();
        DatasetLoader.loadForTraining(shipped(name, "data.streaming.enabled=always"), again::add);
        assertTrue(again.get(0).contains("reused"), again.toString());
    }

    /** Every window of every part: origin, each step's values, targets, and the target column the baselines read. */
    private static void assertSameWindows(SplitData memory, SplitData streamed) {
        for (String part : List.of("train", "validation", "test")) {
            SequenceSet a = set(memory, part);
            SequenceSet b = set(streamed, part);
            assertEquals(a.size(), b.size(), part);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.origin(i), b.origin(i));
                assertArrayEquals(a.target(i), b.target(i), 0);
                for (int t = 0; t < a.sequence(i).length; t++) {
                    assertArrayEquals(a.sequence(i)[t], b.sequence(i)[t], 0, part + " window " + i + " step " + t);
                }
                assertEquals(memory.forecast().seriesAt(a.origin(i) - 1), streamed.forecast().seriesAt(b.origin(i) - 1), 0);
            }
        }
    }

    @Test
    void aSplitScoredAShardAtATimeHasTheFiguresOfTheSplitScoredAtOnce() throws IOException {
        // a long series, so the test split spans several shards of 256 windows (the predictor's batch)
        Path file = Files.writeString(dir.resolve("long.csv"), steps(4000, 5000));
        LoadedConfig streamedConfig = series(file, ", seasonalPeriod: 7");
        SplitData streamed = DatasetLoader.loadForTraining(streamedConfig, n -> { });
        SplitData memory = DatasetLoader.loadForTraining(ConfigLoader.load(dir.resolve("series.yaml"), List.of("data.streaming.enabled=never")),
                n -> { });
        io.rnnkit.config.ExperimentConfig config = streamedConfig.config();
        PreparedData whole = PreparedData.of(memory, config);
        PreparedData shards = PreparedData.streamed(streamed, config, whole.normalizer(), 300); // 256 a shard when scored
        assertTrue(streamed.test().size() > 2 * 256 && streamed.test().size() % 256 != 0, "windows: " + streamed.test().size());
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = io.rnnkit.nn.NetworkBuilder.build(config, memory.features(), null, memory.outputs());
        io.rnnkit.bundle.Predictor predictor = io.rnnkit.bundle.Predictor.on(net, config, whole);
        for (String part : List.of("train", "test")) {
            io.rnnkit.eval.SplitMetrics a = io.rnnkit.eval.Evaluator.evaluate(predictor, whole, part);
            io.rnnkit.eval.SplitMetrics b = io.rnnkit.eval.Evaluator.evaluate(predictor, shards, part);
            assertTrue(a.values().containsKey("seasonal_naive_mase"), a.values().toString());
            assertEquals(a.values(), b.values(), part);
            assertEquals(a.undefined(), b.undefined(), part);
        }
    }

    private static SequenceSet set(SplitData split, String part) {
        return part.equals("train") ? split.train() : part.equals("validation") ? split.validation() : split.test();
    }

    @ParameterizedTest
    @CsvSource({
            "tourism-lstm, data.series.idColumns",
            "tourism-static-lstm, data.series.idColumns",
            "traffic-lstm, data.series.categorical",
            "daily-min-temperatures-calendar-lstm, data.series.calendar",
            "air-quality-lstm, data.missing",
            "airline-passengers-quantile-lstm, model.head",
            "airline-passengers-backtest, evaluation.backtest",
            "nab-nyc-taxi-anomaly, task.kind",
            "nyc-taxi-tagger, task"})
    void whatCannotStreamIsRefusedAtItsYamlPath(String name, String path) {
        LoadedConfig always = shipped(name, "data.streaming.enabled=always");
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(always, n -> { }));
        assertTrue(e.getMessage().contains(path + ":") && e.getMessage().contains("data.streaming.enabled: never"), e.getMessage());
        // auto reads such data whole, as before
        assertFalse(StreamedSplit.streams(shipped(name, "data.streaming.enabled=auto", "data.streaming.thresholdBytes=1").config(),
                always.locations()));
    }

    private LoadedConfig series(Path csv, String cadence) throws IOException {
        Path file = dir.resolve("series.yaml");
        Files.writeString(file, """
                name: streamed-series
                seed: 3
                task: {topology: many-to-one, kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t%s}
                  window: {lookback: 3, horizon: 1}
                  streaming: {enabled: always, cacheDir: %s}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(csv, cadence, dir.resolve("cache")));
        return ConfigLoader.load(file, List.of());
    }

    private static String steps(int n, int skipped) {
        StringBuilder text = new StringBuilder("t,y\n");
        for (int t = 0; t < n; t++) {
            if (t < skipped || t > skipped + 2) { // three steps missing after step skipped - 1
                text.append(t).append(',').append(Math.sin(0.4 * t) + 0.01 * t).append('\n');
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ", gapFill: linear, maxGap: 3", ", gapFill: forward-fill, maxGap: 3", ", gapFill: linear, maxGap: 2"})
    void aGapIsCutOrFilledAsTheInMemoryReaderDoes(String gapFill) throws IOException {
        Path file = Files.writeString(dir.resolve("gap.csv"), steps(80, 30));
        SplitData streamed = DatasetLoader.loadForTraining(series(file, gapFill), n -> { });
        SplitData memory = DatasetLoader.loadForTraining(ConfigLoader.load(dir.resolve("series.yaml"), List.of("data.streaming.enabled=never")),
                n -> { });
        assertTrue(streamed.train().streamed());
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.forecast().scale(), streamed.forecast().scale(), 0);
        assertSameWindows(memory, streamed);
    }

    @Test
    void rowsTheInMemoryReaderWouldSortAreRefusedAtTheirLine() throws IOException {
        String swapped = steps(60, 100).replace("\n10,", "\nTEN,").replace("\n11,", "\n10,").replace("\nTEN,", "\n11,");
        Path file = Files.writeString(dir.resolve("order.csv"), swapped);
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(series(file, ""), n -> { }));
        assertTrue(e.getMessage().contains("order.csv:13:") && e.getMessage().contains("is earlier than line 12"), e.getMessage());
        Path number = Files.writeString(dir.resolve("number.csv"), steps(60, 100).replace("\n20,", "\n20,abc\n21x,"));
        DataException faults = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(series(number, ""), n -> { }));
        assertTrue(faults.getMessage().contains("number.csv:22:"), faults.getMessage());
    }

    @Test
    void trailingEmptyRowsAndColumnsAreNotedAsTheInMemoryReaderNotesThem() throws IOException {
        StringBuilder text = new StringBuilder("t,y,\n");
        for (int t = 0; t < 60; t++) {
            text.append(t).append(',').append(Math.sin(t)).append(",\n");
        }
        text.append(",,\n,,\n");
        Path file = Files.writeString(dir.resolve("trailing.csv"), text);
        SplitData streamed = DatasetLoader.loadForTraining(series(file, ""), n -> { });
        LoadedConfig never = ConfigLoader.load(dir.resolve("series.yaml"), List.of("data.streaming.enabled=never"));
        SplitData memory = DatasetLoader.loadForTraining(never, n -> { });
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(2, memory.forecast().report().notes().size(), memory.forecast().report().notes().toString());
        assertEquals(memory.forecast().report().notes(), streamed.forecast().report().notes());
    }
}
