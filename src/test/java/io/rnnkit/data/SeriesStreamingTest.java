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
import java.util.Map;

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
    @ValueSource(strings = {"airline-passengers-lstm", "daily-min-temperatures-lstm", "daily-min-temperatures-recursive-lstm",
            "daily-min-temperatures-calendar-lstm", "traffic-lstm", "air-quality-lstm"})
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
    static void assertSameWindows(SplitData memory, SplitData streamed) {
        for (String part : List.of("train", "validation", "test")) {
            SequenceSet a = set(memory, part);
            SequenceSet b = set(streamed, part);
            assertEquals(a.size(), b.size(), part);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.origin(i), b.origin(i));
                assertArrayEquals(a.target(i), b.target(i), 0);
                double[][] x = a.sequence(i); // each call cuts the window again
                double[][] y = b.sequence(i);
                assertEquals(x.length, y.length);
                for (int t = 0; t < x.length; t++) {
                    assertArrayEquals(x[t], y[t], 0, part + " window " + i + " step " + t);
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

    /** The splits of many series cut from the cache: those of the file read whole, series by series. */
    private void assertSamePanel(LoadedConfig never, LoadedConfig always, int series) {
        SplitData memory = DatasetLoader.loadForTraining(never, n -> { });
        List<String> notes = new ArrayList<>();
        SplitData streamed = DatasetLoader.loadForTraining(always, notes::add);
        assertTrue(notes.get(0).contains(", " + series + " series of "), notes.toString());
        assertTrue(streamed.train().streamed() && streamed.test().streamed());
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        assertEquals(memory.forecast().categories(), streamed.forecast().categories());
        SplitData.Panel a = memory.forecast().panel();
        SplitData.Panel b = streamed.forecast().panel();
        assertEquals(a.idColumns(), b.idColumns());
        assertEquals(a.ids(), b.ids());
        assertArrayEquals(a.offsets(), b.offsets());
        assertArrayEquals(a.scales(), b.scales(), 0);
        assertSameWindows(memory, streamed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tourism-lstm", "tourism-static-lstm"}) // static: Region, State and Purpose one-hot, learnt from every training part
    void theSplitsOfManySeriesInTheCacheAreThoseOfTheFileReadWhole(String name) {
        assertSamePanel(shipped(name, "data.streaming.enabled=never"), shipped(name, "data.streaming.enabled=always"), 304);
    }

    /**
     * Many series streamed with a scaling each: fitted on each series' training windows as in memory, each window of a
     * shard scaled by its series', and the metrics (mean MASE over the series, each series' figures) those of the splits
     * read whole, scored in parts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"per-series", "global"})
    void manySeriesAreScaledAndScoredStreamedAsReadWhole(String scope) {
        assertScaledAndScoredAsReadWhole(shipped("tourism-lstm", "data.streaming.enabled=never", "data.series.normalizerScope=" + scope),
                shipped("tourism-lstm", "data.streaming.enabled=always", "data.series.normalizerScope=" + scope), 304);
    }

    private static void assertScaledAndScoredAsReadWhole(LoadedConfig never, LoadedConfig always, int count) {
        SplitData memory = DatasetLoader.loadForTraining(never, n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(always, n -> { });
        io.rnnkit.config.ExperimentConfig config = always.config();
        PreparedData whole = PreparedData.of(memory, config);
        PreparedData shards = PreparedData.streamed(streamed, config, null, 20000); // the training windows in one shard: the same fit
        boolean perSeries = count > 0 && config.data().series().normalizerScope() == io.rnnkit.config.NormalizerScope.PER_SERIES;
        assertEquals(count > 0, shards.panel() != null);
        assertEquals(perSeries, count > 0 && shards.panel().perSeries());
        assertEquals(count > 0 ? whole.panel().ids() : null, count > 0 ? shards.panel().ids() : null);
        for (int k = 0; perSeries && k < count; k++) {
            Map<String, Object> a = whole.panel().scalers().get(k).toMap();
            Map<String, Object> b = shards.panel().scalers().get(k).toMap();
            assertEquals(a.keySet(), b.keySet());
            a.forEach((key, value) -> assertTrue(java.util.Objects.deepEquals(value, b.get(key)), key));
        }
        org.nd4j.linalg.dataset.DataSet a = whole.batches(64, true, 5, null).next();
        org.nd4j.linalg.dataset.DataSet b = shards.batches(64, true, 5, null).next();
        assertEquals(a.getFeatures(), b.getFeatures());
        assertEquals(a.getLabels(), b.getLabels());
        assertEquals(whole.test().getFeatures(), shards.tensors(streamed.test()).getFeatures());
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = io.rnnkit.nn.NetworkBuilder.build(config, memory.features(), null, memory.outputs());
        io.rnnkit.eval.SplitMetrics m = io.rnnkit.eval.Evaluator.evaluate(io.rnnkit.bundle.Predictor.on(net, config, whole), whole, "test");
        // scored in parts of 256 windows (the predictor's batch), the tourism test split in several
        PreparedData small = PreparedData.streamed(streamed, config, whole.normalizer(), whole.panel(), 300);
        assertTrue(count == 3 || streamed.test().size() > 256, "windows: " + streamed.test().size()); // 3: the small generated panel
        io.rnnkit.eval.SplitMetrics s = io.rnnkit.eval.Evaluator.evaluate(io.rnnkit.bundle.Predictor.on(net, config, small), small, "test");
        assertTrue(m.values().containsKey("mase") && m.series().size() == count, m.values().toString());
        assertEquals(whole.normalizer() == null, shards.normalizer() == null);
        assertEquals(m.values(), s.values());
        assertEquals(m.series(), s.series());
    }

    /** Three series with a gap each (cut, or filled), one of them quarterly from another start; ids with a comma. */
    private static String panel() {
        StringBuilder text = new StringBuilder("t,site,y\n");
        String[] sites = {"\"North, upper\"", "south", "east"};
        for (int k = 0; k < sites.length; k++) {
            for (int t = 3 * k; t < 70 + 10 * k; t++) {
                if (t != 40 + k) {
                    text.append(t).append(',').append(sites[k]).append(',').append(Math.sin(0.3 * t + k) + 0.02 * t * k).append('\n');
                }
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ", gapFill: linear, maxGap: 2"})
    void manySeriesWithGapsAreCutAsTheInMemoryReaderCutsThem(String gapFill) throws IOException {
        assertSamePanelOf("panel.csv", panel(), ", idColumns: [site]" + gapFill);
    }

    /** {@code text} written as a file of three series read with {@code settings}: its splits streamed are those read whole. */
    private Path assertSamePanelOf(String name, String text, String settings) throws IOException {
        series(Files.writeString(dir.resolve(name), text), settings);
        Path yaml = dir.resolve("series.yaml");
        assertSamePanel(ConfigLoader.load(yaml, List.of("data.streaming.enabled=never")), ConfigLoader.load(yaml, List.of()), 3);
        return yaml;
    }

    /** Calendar features computed as each step is written: pinned (left unscaled) and led as in memory. */
    @Test
    void aCalendarIsWindowedScaledAndScoredStreamedAsReadWhole() {
        assertScaledAndScoredAsReadWhole(shipped("daily-min-temperatures-calendar-lstm", "data.streaming.enabled=never"),
                shipped("daily-min-temperatures-calendar-lstm", "data.streaming.enabled=always"), 0);
    }

    /** Three series with a known-future column (a promotion every fifth step) and a numeric static one (each series' size). */
    private static String covariates() {
        StringBuilder text = new StringBuilder("t,site,y,promo,size\n");
        for (int k = 0; k < 3; k++) {
            for (int t = 0; t < 80; t++) {
                int promo = (t + k) % 5 == 0 ? 1 : 0;
                text.append(t).append(",s").append(k).append(',').append(Math.sin(0.3 * t) * (k + 1) + 0.5 * promo).append(',')
                        .append(promo).append(',').append(10 * (k + 1)).append('\n');
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"per-series", "global"})
    void futureAndStaticColumnsAreWindowedScaledAndScoredStreamedAsReadWhole(String scope) throws IOException {
        Path yaml = assertSamePanelOf("covariates.csv", covariates(),
                ", idColumns: [site], futureColumns: [promo], staticColumns: [size], normalizerScope: " + scope);
        SplitData streamed = DatasetLoader.loadForTraining(ConfigLoader.load(yaml, List.of()), n -> { });
        assertEquals(List.of("y", "promo", "size"), streamed.featureNames());
        assertTrue(streamed.forecast().covariates().readsFuture());
        assertScaledAndScoredAsReadWhole(ConfigLoader.load(yaml, List.of("data.streaming.enabled=never")), ConfigLoader.load(yaml, List.of()), 3);
    }

    @Test
    void aStaticColumnThatChangesWithinASeriesIsRefusedAtItsLineAsInMemory() throws IOException {
        Path file = Files.writeString(dir.resolve("covariates.csv"), covariates().replace("\n7,s1,", "\n7,s1,X").replaceFirst("X([^,]*),([^,]*),20", "$1,$2,21"));
        series(file, ", idColumns: [site], futureColumns: [promo], staticColumns: [size]");
        Path yaml = dir.resolve("series.yaml");
        DataException memory = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(
                ConfigLoader.load(yaml, List.of("data.streaming.enabled=never")), n -> { }));
        DataException streamed = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml, List.of()), n -> { }));
        assertTrue(streamed.getMessage().contains("covariates.csv:89: static column feature size is 21.0 here but 20.0 on line 82"),
                streamed.getMessage());
        assertTrue(memory.getMessage().contains(streamed.getMessage().substring(streamed.getMessage().indexOf("covariates.csv:89:"))),
                memory.getMessage());
    }

    @Test
    void aSeriesWhoseRowsComeBackAfterAnothersIsRefusedAtItsRow() throws IOException {
        String text = panel();
        text = text.replaceFirst("\n5,\"North, upper\",", "\n5,south,"); // line 6 (t 5) of the first series said to be south's
        Path file = Files.writeString(dir.resolve("panel.csv"), text);
        series(file, ", idColumns: [site]");
        LoadedConfig always = ConfigLoader.load(dir.resolve("series.yaml"), List.of());
        DataException e = assertThrows(DataException.class, () -> SeriesCache.of(always.config().data(), always.locations()));
        assertTrue(e.getMessage().contains("panel.csv:8:") && e.getMessage().contains("comes back after series site=south"), e.getMessage());
    }

    /**
     * A quantile head streamed: the labels of each shard repeated over the head's group as in memory (training minibatch
     * and scored tensors), the normalizer fitted on one column per target, and the interval figures of every split the same.
     */
    @Test
    void aProbabilisticHeadIsTrainedAndScoredStreamedAsReadWhole() {
        String name = "airline-passengers-quantile-lstm";
        SplitData memory = DatasetLoader.loadForTraining(shipped(name, "data.streaming.enabled=never"), n -> { });
        LoadedConfig always = shipped(name, "data.streaming.enabled=always");
        SplitData streamed = DatasetLoader.loadForTraining(always, n -> { });
        io.rnnkit.config.ExperimentConfig config = always.config();
        PreparedData whole = PreparedData.of(memory, config);
        PreparedData shards = PreparedData.streamed(streamed, config, null, 300); // one shard: the in-memory fit's computation
        assertEquals(3, shards.groupSize());
        assertEquals(whole.normalizer().getClass(), shards.normalizer().getClass());
        org.nd4j.linalg.dataset.DataSet a = whole.batches(16, true, 9, null).next();
        org.nd4j.linalg.dataset.DataSet b = shards.batches(16, true, 9, null).next();
        assertEquals(3, b.getLabels().size(1)); // one target (horizon 1), its label repeated over 3 quantiles
        assertEquals(a.getFeatures(), b.getFeatures());
        assertEquals(a.getLabels(), b.getLabels());
        assertEquals(whole.test().getLabels(), shards.tensors(streamed.test()).getLabels());
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = io.rnnkit.nn.NetworkBuilder.build(config, memory.features(), null, memory.outputs());
        io.rnnkit.bundle.Predictor predictor = io.rnnkit.bundle.Predictor.on(net, config, whole);
        for (String part : List.of("train", "validation", "test")) {
            io.rnnkit.eval.SplitMetrics m = io.rnnkit.eval.Evaluator.evaluate(predictor, whole, part);
            io.rnnkit.eval.SplitMetrics s = io.rnnkit.eval.Evaluator.evaluate(predictor, shards, part);
            assertTrue(m.values().containsKey("coverage_80") && m.values().containsKey("width_80"), m.values().toString());
            assertEquals(m.values(), s.values(), part);
            assertEquals(m.undefined(), s.undefined(), part);
        }
    }

    private static SequenceSet set(SplitData split, String part) {
        return part.equals("train") ? split.train() : part.equals("validation") ? split.validation() : split.test();
    }

    @ParameterizedTest
    @CsvSource({
            // a tagger reads the cache's numbers as they are: its fills are made in memory (its columns are numeric)
            "nyc-taxi-tagger, data.missing, data.missing.markers=[-1]"})
    void whatCannotStreamIsRefusedAtItsYamlPath(String name, String path, String setting) {
        LoadedConfig always = shipped(name, "data.streaming.enabled=always", setting);
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(always, n -> { }));
        assertTrue(e.getMessage().contains(path + ":") && e.getMessage().contains("data.streaming.enabled: never"), e.getMessage());
        // auto reads such data whole, as before
        assertFalse(StreamedSplit.streams(shipped(name, "data.streaming.enabled=auto", "data.streaming.thresholdBytes=1", setting).config(),
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
