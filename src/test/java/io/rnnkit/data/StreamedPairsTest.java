package io.rnnkit.data;

import io.rnnkit.cli.Main;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence-to-sequence pairs through the streaming cache: the splits cut from the cached token ids are the in-memory
 * path's (same vocabularies, delayed inputs, labels, order, padding widths), a fault names the line the in-memory path
 * names, generated pairs are said to be made in memory, and a run trained either way writes the same metrics.json.
 */
class StreamedPairsTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path data, String unit, String translation, String streaming) throws IOException {
        return ConfigLoader.load(configFile(data, unit, translation, streaming), List.of());
    }

    private Path configFile(Path data, String unit, String translation, String streaming) throws IOException {
        Path file = dir.resolve("pairs-" + (unit + translation + streaming).hashCode() + ".yaml");
        return Files.writeString(file, """
                name: pairs
                seed: 5
                task:
                  topology: sequence-to-sequence
                  kind: classification
                  translation: %s
                data:
                  format: text
                  path: %s
                  normalizer: none
                  text: {unit: %s}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: gru, units: 8}
                training:
                  epochs: 2
                  batchSize: 16
                """.formatted(translation, data, unit, streaming));
    }

    private String streamed() {
        return "{enabled: always, cacheDir: " + dir.resolve("cache") + "}";
    }

    /** Dates written in human formats and as ISO dates, one pair a line (the dates generator, seeded). */
    private Path pairs(int count) throws IOException {
        StringBuilder text = new StringBuilder();
        List<String[]> dates = TranslationTasks.dates(count, 9);
        for (int i = 0; i < dates.size(); i++) {
            text.append(dates.get(i)[0]).append('\t').append(dates.get(i)[1]).append('\n');
        }
        return Files.writeString(dir.resolve("dates.tsv"), text);
    }

    @ParameterizedTest
    @CsvSource({"character", "word"})
    void splitsCutFromTheCacheAreThoseOfTheInMemoryPath(String unit) throws IOException {
        Path data = pairs(300);
        String translation = "{maxSourceLength: 40, maxTargetLength: 12, unknownSymbols: unknown}";
        List<String> notes = new ArrayList<>();
        SplitData streamed = DatasetLoader.loadForTraining(config(data, unit, translation, streamed()), notes::add);
        SplitData memory = DatasetLoader.loadForTraining(config(data, unit, translation, "{enabled: never}"), n -> { });
        assertEquals(1, notes.size(), notes.toString());
        SameSplits.assertPerStepSplitsEqual(memory, streamed);
        assertTrue(memory.vocabulary().contains(DelayedPairs.SEPARATOR) && memory.classes().size() > 3, memory.classes().toString());
        int unknown = 0;
        for (SequenceSet set : new SequenceSet[]{memory.validation(), memory.test()}) {
            for (int i = 0; i < set.size(); i++) {
                for (double[] step : set.sequence(i)) {
                    unknown += (int) step[0] == memory.vocabulary().indexOf(TextLayout.UNKNOWN) ? 1 : 0;
                }
            }
        }
        if (unit.equals("word")) { // days and years of held-out pairs never trained on: read as unknown alike
            assertTrue(unknown > 0, "no unknown source word");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "character; {maxSourceLength: 12, maxTargetLength: 12}; more than task.translation.maxSourceLength",
            "word; {maxSourceLength: 40, maxTargetLength: 12}; is not in the source vocabulary"})
    void aFaultNamesTheLineTheInMemoryPathNames(String unit, String translation, String fault) throws IOException {
        Path data = pairs(120);
        // a source longer than the limit; a held-out word (a day, a year) outside the training vocabulary, rejected
        DataException memory = assertThrows(DataException.class,
                () -> DatasetLoader.loadForTraining(config(data, unit, translation, "{enabled: never}"), n -> { }));
        DataException streamed = assertThrows(DataException.class,
                () -> DatasetLoader.loadForTraining(config(data, unit, translation, streamed()), n -> { }));
        assertEquals(memory.getMessage(), streamed.getMessage());
        assertTrue(streamed.getMessage().contains("dates.tsv:") && streamed.getMessage().contains(fault), streamed.getMessage());
    }

    @Test
    void generatedPairsAreSaidToBeMadeInMemoryAndAutoReadsThemSoWhilePairsOfAFileStream() throws IOException {
        String generated = """
                name: gen
                task: {topology: sequence-to-sequence, kind: classification, translation: {unknownSymbols: unknown}}
                data:
                  format: generated
                  generator: {kind: reversal, samplesPerClass: 50, length: 4}
                  normalizer: none
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: gru, units: 4}
                """;
        Path always = Files.writeString(dir.resolve("gen.yaml"), generated.formatted(streamed()));
        ConfigException e = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(always, List.of()), n -> { }));
        assertTrue(e.getMessage().contains("data.streaming.enabled") && e.getMessage().contains("generated pairs (data.generator) are made in memory"),
                e.getMessage());
        // auto makes them in memory rather than failing, however small its threshold
        Path auto = Files.writeString(dir.resolve("gen-auto.yaml"), generated.formatted("{enabled: auto, thresholdBytes: 1, cacheDir: "
                + dir.resolve("cache") + "}"));
        SplitData memory = DatasetLoader.loadForTraining(ConfigLoader.load(auto, List.of()), n -> { });
        assertTrue(memory.train().size() > 0 && !memory.train().streamed());
        assertFalse(Files.exists(dir.resolve("cache")), "no cache is written for data that does not stream");
        // a file of pairs larger than the threshold streams under auto
        SplitData file = DatasetLoader.loadForTraining(config(pairs(60), "character", "{maxSourceLength: 40, unknownSymbols: unknown}",
                "{enabled: auto, thresholdBytes: 1, cacheDir: " + dir.resolve("cache") + "}"), n -> { });
        assertTrue(file.train().streamed() && Files.exists(dir.resolve("cache")));
    }

    @Test
    @Tag("learning") // trains two small models
    void aRunThroughTheCacheWritesTheMetricsOfTheInMemoryRun() throws IOException {
        Path data = pairs(200);
        String translation = "{maxSourceLength: 40, maxTargetLength: 12, unknownSymbols: unknown, samples: 3}";
        Path streamedConfig = configFile(data, "character", translation, streamed());
        Path memoryConfig = configFile(data, "character", translation, "{enabled: never}");
        assertEquals(0, Main.run("train", streamedConfig.toString(), "--out", dir.resolve("streamed").toString()));
        assertEquals(0, Main.run("train", memoryConfig.toString(), "--out", dir.resolve("memory").toString()));
        String streamedMetrics = Files.readString(dir.resolve("streamed/metrics.json"));
        assertTrue(streamedMetrics.contains("\"exact_match\"") && streamedMetrics.contains("\"symbol_accuracy\""), streamedMetrics);
        assertEquals(Files.readString(dir.resolve("memory/metrics.json")), streamedMetrics);
    }
}
