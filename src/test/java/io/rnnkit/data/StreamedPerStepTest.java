package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels per step (many-to-many labelling and per-step regression from sequence files) through the streaming path: the
 * cache holds a label a step, and the splits read from it, and the normalized tensors made from them, are the in-memory
 * path's bit for bit (the values as float32, as the cache holds them).
 */
class StreamedPerStepTest {
    @TempDir
    Path dir;

    /**
     * Sequence files of 2 features and 5 to 12 steps; each step labelled with a class (a, b or c, from the sign of its
     * values) or, for regression, two targets.
     */
    private Path sequenceFiles(String name, int count, boolean regression, long seed) throws IOException {
        Path folder = dir.resolve(name);
        Files.createDirectories(folder.resolve("features"));
        Files.createDirectories(folder.resolve("labels"));
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int steps = 5 + random.nextInt(8);
            StringBuilder x = new StringBuilder();
            StringBuilder y = new StringBuilder();
            for (int t = 0; t < steps; t++) {
                double a = random.nextGaussian();
                double b = random.nextGaussian() * 3 + 1;
                x.append(a).append(',').append(b).append('\n');
                y.append(regression ? (a * 2 + 0.1 * t) + "," + (b - a) : a > 0.5 ? "a" : a < -0.5 ? "c" : "b").append('\n');
            }
            Files.writeString(folder.resolve("features").resolve(i + ".csv"), x);
            Files.writeString(folder.resolve("labels").resolve(i + ".csv"), y);
        }
        return folder;
    }

    private LoadedConfig config(Path data, String kind, String streaming, String extra) throws IOException {
        Path file = dir.resolve(kind + "-" + Math.abs((streaming + extra).hashCode()) + ".yaml");
        Files.writeString(file, """
                name: perstep
                seed: 11
                task: {topology: many-to-many, kind: %s}
                data:
                  format: sequence-files
                  path: %s
                  normalizer: standardize
                  streaming: %s
                  %s
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(kind, data, streaming, extra));
        return ConfigLoader.load(file, List.of());
    }

    private String always() {
        return "{enabled: always, cacheDir: " + dir.resolve("cache") + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"classification", "regression"})
    void labelsPerStepAreStreamedAsTheInMemoryPathReadsThem(String kind) throws IOException {
        boolean regression = kind.equals("regression");
        Path data = sequenceFiles("seq", 60, regression, 3);
        LoadedConfig streamedConfig = config(data, kind, always(), "");
        LoadedConfig memoryConfig = config(data, kind, "{enabled: never}", "");
        SplitData streamed = DatasetLoader.loadForTraining(streamedConfig, note -> { });
        SplitData memory = DatasetLoader.loadForTraining(memoryConfig, note -> { });
        assertTrue(streamed.train().streamed() && streamed.train().perStep());
        assertEquals(memory.classes(), streamed.classes());
        if (!regression) {
            assertEquals(List.of("a", "b", "c"), streamed.classes());
        }
        SameSplits.assertSplitsEqual(memory, streamed);
        // the normalized tensors (labels and masks included) of the in-memory path, from one shard of the streamed split
        PreparedData whole = PreparedData.of(memory, memoryConfig.config());
        PreparedData shards = PreparedData.streamed(streamed, streamedConfig.config(), null, 1000);
        assertSameTensors(whole.train(), shards.batches(1000, false, 0, null).next());
        assertSameTensors(whole.test(), shards.tensors(streamed.test()));
    }

    /** A short run (two epochs, minibatches of 16, the training split one shard, so in the same order) ends with the in-memory path's metrics.json. */
    @ParameterizedTest
    @ValueSource(strings = {"classification", "regression"})
    void aStreamedRunEndsWithTheMetricsOfTheInMemoryRun(String kind) throws IOException {
        Path data = sequenceFiles("run", 60, kind.equals("regression"), 4);
        String training = "\ntraining: {epochs: 2, batchSize: 16, updater: {type: adam, learningRate: 0.01}}";
        io.rnnkit.train.ExperimentRunner.RunResult streamed = io.rnnkit.train.ExperimentRunner.run(config(data, kind,
                "{enabled: always, shardSize: 100, cacheDir: " + dir.resolve("cache") + "}", training), dir.resolve("streamed"),
                io.rnnkit.train.TrainingProgress.SILENT);
        io.rnnkit.train.ExperimentRunner.RunResult memory = io.rnnkit.train.ExperimentRunner.run(config(data, kind, "{enabled: never}", training),
                dir.resolve("memory"), io.rnnkit.train.TrainingProgress.SILENT);
        assertTrue(streamed.data().train().streamed());
        assertTrue(metrics(memory).get("test").size() > 2, metrics(memory).toString());
        assertSameMetrics(memory, streamed);
    }

    /** Both runs' metrics.json, split by split. */
    static void assertSameMetrics(io.rnnkit.train.ExperimentRunner.RunResult memory, io.rnnkit.train.ExperimentRunner.RunResult streamed)
            throws IOException {
        for (String split : new String[]{"train", "validation", "test"}) {
            assertEquals(metrics(memory).get(split), metrics(streamed).get(split), split);
        }
    }

    static com.fasterxml.jackson.databind.JsonNode metrics(io.rnnkit.train.ExperimentRunner.RunResult run) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.directory().resolve("metrics.json").toFile());
    }

    @Test
    void stratifiedSplitsOfStepClassesAreThoseOfTheInMemoryPath() throws IOException {
        Path data = sequenceFiles("strat", 80, false, 9);
        String split = "split: {train: 0.6, validation: 0.2, test: 0.2, stratify: true}";
        SplitData streamed = DatasetLoader.loadForTraining(config(data, "classification", always(), split), note -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(data, "classification", "{enabled: never}", split), note -> { });
        SameSplits.assertSplitsEqual(memory, streamed);
    }

    @Test
    void aCacheOfLabelsPerSequenceIsNotReadAsOneOfLabelsPerStep() throws IOException {
        Path data = sequenceFiles("key", 10, false, 5);
        LoadedConfig loaded = config(data, "classification", always(), "");
        assertTrue(!SequenceCache.key(loaded.config().data(), false, true, data).equals(SequenceCache.key(loaded.config().data(), false, false, data)));
        SequenceCache cache = SequenceCache.of(loaded.config());
        assertTrue(cache.perStep());
        // a cache written by an older version (its manifest's version) is refused with the way out, not misread
        Path manifest = cache.directory().resolve("manifest.properties");
        Files.writeString(manifest, Files.readString(manifest).replace("version=" + SequenceCache.VERSION, "version=2"));
        DataException e = assertThrows(DataException.class, () -> SequenceCache.open(cache.directory()));
        assertTrue(e.getMessage().contains("delete the folder") && e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void aLabelRowPerStepIsRequiredAtItsFile() throws IOException {
        Path data = sequenceFiles("short", 10, false, 7);
        Files.writeString(data.resolve("labels").resolve("4.csv"), "a\nb\n");
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config(data, "classification", always(), ""),
                note -> { }));
        assertTrue(e.getMessage().contains("4.csv") && e.getMessage().contains("label row per step"), e.getMessage());
    }

    private static void assertSameTensors(DataSet expected, DataSet actual) {
        assertArrayEquals(expected.getFeatures().shape(), actual.getFeatures().shape());
        assertArrayEquals(expected.getLabels().shape(), actual.getLabels().shape());
        assertArrayEquals(floats(expected.getFeatures()), floats(actual.getFeatures()));
        assertArrayEquals(floats(expected.getLabels()), floats(actual.getLabels()));
        assertArrayEquals(floats(expected.getFeaturesMaskArray()), floats(actual.getFeaturesMaskArray()));
        assertArrayEquals(floats(expected.getLabelsMaskArray()), floats(actual.getLabelsMaskArray()));
    }

    private static float[] floats(INDArray array) {
        return array == null ? null : array.dup('c').data().asFloat();
    }
}
