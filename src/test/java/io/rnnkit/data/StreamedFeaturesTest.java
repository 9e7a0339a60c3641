package io.rnnkit.data;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming path over what the in-memory path does besides reading values: categorical features made one-hot over the
 * training split's categories ({@code data.categorical}, rows and sequence files), piecewise aggregation
 * ({@code data.segments}) and text pooled from several files ({@code data.paths}); each gives the in-memory splits, and
 * what cannot be read is refused with the in-memory path's own message.
 */
class StreamedFeaturesTest {
    private static final String[] COLOURS = {"red", "green", "blue"};

    @TempDir
    Path dir;

    private LoadedConfig config(String data, String streaming) throws IOException {
        return config("classification", data, streaming);
    }

    private LoadedConfig config(String kind, String data, String streaming) throws IOException {
        Path file = dir.resolve("c" + (kind + data + streaming).hashCode() + ".yaml");
        Files.writeString(file, """
                name: features
                seed: 5
                task: {topology: many-to-one, kind: %s}
                data:
                %s
                  streaming: %s
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(kind, data.lines().map(line -> line.startsWith("  ") ? line : "  " + line)
                .collect(java.util.stream.Collectors.joining("\n")), streaming));
        return ConfigLoader.load(file, List.of());
    }

    private String always() {
        return "{enabled: always, cacheDir: " + dir.resolve("cache") + "}";
    }

    /** The two loads agree on the splits, the network's features, the categories and the counts of unseen ones. */
    private static void assertSameData(SplitData memory, SplitData streamed) {
        assertTrue(streamed.train().streamed() && !memory.train().streamed());
        SameSplits.assertSplitsEqual(memory, streamed);
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertEquals(memory.categories(), streamed.categories());
        assertEquals(String.valueOf(memory.report()), String.valueOf(streamed.report()));
        assertEquals(String.valueOf(memory.report().read()), String.valueOf(streamed.report().read())); // in metrics.json's order
    }

    /**
     * A step's colour: mostly one of three by class, now and then a rare one (violet, seen in few rows, so in some
     * splits only) or the literal {@code <other>}.
     */
    private static String colour(Random random, int label) {
        int roll = random.nextInt(100);
        return roll < 3 ? "violet" : roll < 4 ? Categories.OTHER : COLOURS[(label + random.nextInt(2)) % 3];
    }

    @Test
    void categoricalFeaturesOfRowsAreOneHotOverTheTrainingCategories() throws IOException {
        Path data = dir.resolve("rows.csv");
        Random random = new Random(3);
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 80; r++) {
            int label = r % 2;
            for (int t = 0; t < 5; t++) {
                rows.append(random.nextGaussian() + label).append(',').append(' ').append(colour(random, label)).append(',');
            }
            rows.append(label == 0 ? "no" : "yes").append('\n');
        }
        Files.writeString(data, rows);
        String yaml = """
                  format: rows
                  path: %s
                  features: 2
                  categorical: [x2]
                  labels: {from: last-column}
                  split: {train: 0.6, validation: 0.2, test: 0.2, stratify: true}""".formatted(data);
        SplitData streamed = DatasetLoader.loadForTraining(config(yaml, always()), n -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(yaml, "{enabled: never}"), n -> { });
        assertSameData(memory, streamed);
        assertTrue(streamed.featureNames().contains("x2=red") && streamed.featureNames().contains("x2=" + Categories.OTHER),
                streamed.featureNames().toString());
        assertTrue(streamed.report().read().toString().contains("x2="), "steps read as <other> are counted: " + streamed.report());
    }

    @Test
    void categoricalFeaturesOfSequenceFilesAndATestFileAreStreamed() throws IOException {
        Random random = new Random(9);
        Path train = sequenceFiles(dir.resolve("train"), 60, random, "");
        Path test = sequenceFiles(dir.resolve("test"), 20, random, "indigo"); // a colour training never saw
        String yaml = """
                  format: sequence-files
                  path: %s
                  testPath: %s
                  categorical: [x2]
                  split: {train: 0.75, validation: 0.25, test: 0}""".formatted(train, test);
        SplitData streamed = DatasetLoader.loadForTraining(config(yaml, always()), n -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(yaml, "{enabled: never}"), n -> { });
        assertSameData(memory, streamed);
        assertTrue(streamed.report().read().toString().contains("test={x2="), streamed.report().toString());
    }

    /** Sequences of 4 to 7 steps of a value and a colour (each step's colour {@code unseen} now and then, when given). */
    private static Path sequenceFiles(Path folder, int count, Random random, String unseen) throws IOException {
        Files.createDirectories(folder.resolve("features"));
        Files.createDirectories(folder.resolve("labels"));
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            StringBuilder steps = new StringBuilder();
            for (int t = 0, n = 4 + random.nextInt(4); t < n; t++) {
                String colour = !unseen.isEmpty() && random.nextInt(5) == 0 ? unseen : colour(random, label);
                steps.append(random.nextGaussian() - label).append(',').append(colour).append('\n');
            }
            Files.writeString(folder.resolve("features/" + i + ".csv"), steps);
            Files.writeString(folder.resolve("labels/" + i + ".csv"), label + "\n");
        }
        return folder;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequence-files", "ts", "arff"})
    void segmentsAverageTheValuesAsReadBeforeTheyAreCached(String format) throws IOException {
        Path rows = dir.resolve("rows.csv");
        RowsGenerator.write(rows, 60, 12, 3);
        Path data = LayoutFiles.write(rows, format, dir.resolve("data." + format));
        String yaml = "  format: %s\n  path: %s\n  segments: 5".formatted(format, data); // 2.4 steps a segment
        SplitData streamed = DatasetLoader.loadForTraining(config(yaml, always()), n -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(yaml, "{enabled: never}"), n -> { });
        assertEquals(5, streamed.maxLength());
        SameSplits.assertSplitsEqual(memory, streamed);
        // more segments than steps: the in-memory path's message, at the same case
        String tooMany = yaml.replace("segments: 5", "segments: 13");
        DataException inMemory = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config(tooMany, "{enabled: never}"), n -> { }));
        DataException cached = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config(tooMany, always()), n -> { }));
        assertEquals(inMemory.getMessage(), cached.getMessage());
        assertTrue(cached.getMessage().contains("12 steps, fewer than data.segments = 13"), cached.getMessage());
    }

    /** ConfigRules refuses averaging categorical features, which the in-memory path read as zeros. */
    @Test
    void segmentsOfCategoricalFeaturesAreRefused() throws IOException {
        Path data = sequenceFiles(dir.resolve("seq"), 4, new Random(1), "");
        ConfigException e = assertThrows(ConfigException.class, () -> config("  format: sequence-files\n  path: %s\n  segments: 2\n  categorical: [x2]"
                .formatted(data), "{enabled: never}"));
        assertTrue(e.getMessage().contains("data.segments") && e.getMessage().contains("data.categorical"), e.getMessage());
    }

    /** UCI Sentiment Labelled Sentences as published, pooled as configs/sentiment-pooled-lstm.yaml pools them. */
    @Test
    void textPooledFromSeveralFilesIsSplitFileByFileAsInMemory() {
        TestData.require("sentiment_labelled_sentences/yelp_labelled.txt");
        List<String> notes = new ArrayList<>();
        String cache = "data.streaming.cacheDir=" + dir.resolve("cache");
        SplitData streamed = DatasetLoader.loadForTraining(ConfigLoader.load(Path.of("configs/sentiment-pooled-lstm.yaml"),
                List.of("data.streaming.enabled=always", cache)), notes::add);
        SplitData memory = DatasetLoader.loadForTraining(ConfigLoader.load(Path.of("configs/sentiment-pooled-lstm.yaml"),
                List.of("data.streaming.enabled=never", cache)), n -> { });
        assertEquals(3, notes.size(), "a cache per file: " + notes);
        assertTrue(notes.get(0).contains("1000 sequences"), notes.get(0));
        assertTrue(streamed.train().streamed());
        assertEquals(memory.vocabulary(), streamed.vocabulary());
        assertEquals(memory.classes(), streamed.classes());
        assertEquals(List.of(new SplitData.Source("yelp_labelled.txt", 150), new SplitData.Source("amazon_cells_labelled.txt", 150),
                new SplitData.Source("imdb_labelled.txt", 150)), streamed.sources());
        assertEquals(memory.sources(), streamed.sources());
        SameSplits.assertSplitsEqual(memory, streamed);
        assertEquals(memory.maxLength(), streamed.maxLength());
        for (SequenceSet[] pair : new SequenceSet[][]{{memory.train(), streamed.train()}, {memory.test(), streamed.test()}}) {
            assertEquals(pair[0].minLength(), pair[1].minLength());
            assertEquals(pair[0].maxLength(), pair[1].maxLength());
        }
    }

    /** Regression from rows without data.labels.from has nothing to learn: the same error streamed as in memory. */
    @Test
    void unlabelledRowsAreTheInMemoryPathsErrorStreamed() throws IOException {
        Path rows = dir.resolve("rows.csv");
        Files.writeString(rows, "1,2,3\n4,5,6\n".repeat(10));
        String yaml = "  format: rows\n  path: " + rows;
        List<String> messages = new ArrayList<>();
        for (String streaming : new String[]{"{enabled: never}", always()}) {
            LoadedConfig loaded = config("regression", yaml, streaming);
            ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(loaded, n -> { }));
            messages.add(e.getMessage().substring(e.getMessage().indexOf(".yaml:"))); // the config files' names differ
        }
        assertEquals(messages.get(0), messages.get(1));
        assertTrue(messages.get(1).contains("data.labels.from") && messages.get(1).contains("needs a label per sequence"), messages.get(1));
        assertTrue(!Files.exists(dir.resolve("cache")), "no cache is built for data that cannot be learnt");
    }

    /** Generated data stays in memory: always is refused at the setting; labels per step on rows, streamed or not, at the topology. */
    @Test
    void whatStaysInMemoryIsRefusedAtItsSetting() throws IOException {
        LoadedConfig generated = config("  format: generated\n  generator: {kind: synthetic-control, samplesPerClass: 10, length: 12}", always());
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(generated, n -> { }));
        assertTrue(e.getMessage().contains("data.streaming.enabled") && e.getMessage().contains("made in memory"), e.getMessage());
        Path rows = Files.writeString(dir.resolve("steps.csv"), "1,2,3,0\n");
        Path file = Files.writeString(dir.resolve("steps.yaml"), """
                name: steps
                task: {topology: many-to-many, kind: classification}
                data: {format: rows, path: %s, labels: {from: last-column}, streaming: %s}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(rows, always()));
        ConfigException perStep = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(perStep.getMessage().contains("task.topology: many-to-many needs a label at every step"), perStep.getMessage());
    }
}
