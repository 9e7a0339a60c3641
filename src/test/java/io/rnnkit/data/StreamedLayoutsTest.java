package io.rnnkit.data;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

/**
 * The streaming path over the layouts it reads (sequence files, {@code .ts}, {@code .arff}, text, rows labelled by blocks):
 * the cache is written a sequence at a time, and the splits read from it hold the in-memory path's sequences (as
 * float32), labels and classes, split alike; data it cannot stream is refused at the YAML path (generated pairs:
 * StreamedPairsTest; labels per step: StreamedPerStepTest; a test file: StreamedTestPathTest).
 */
class StreamedLayoutsTest {
    @TempDir
    Path dir;

    private LoadedConfig config(String format, Path data, String streaming, String kind) throws IOException {
        Path file = dir.resolve(format + "-" + streaming.hashCode() + ".yaml");
        Files.writeString(file, """
                name: layouts
                seed: 5
                task: {topology: many-to-one, kind: %s}
                data:
                  format: %s
                  path: %s
                  streaming: %s
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(kind, format, data, streaming));
        return ConfigLoader.load(file, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequence-files", "ts", "arff"})
    void splitsOfTheCacheAreThoseOfTheInMemoryPath(String format) throws IOException {
        Path rows = dir.resolve("rows.csv");
        RowsGenerator.write(rows, 90, 12, 3);
        Path data = LayoutFiles.write(rows, format, dir.resolve("data." + format));
        List<String> notes = new ArrayList<>();
        SplitData streamed = DatasetLoader.loadForTraining(config(format, data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}",
                "classification"), notes::add);
        SplitData memory = DatasetLoader.loadForTraining(config(format, data, "{enabled: never}", "classification"), notes::add);
        assertEquals(1, notes.size(), "only the streamed load notes its cache: " + notes);
        assertTrue(notes.get(0).contains("90 sequences"), notes.get(0));
        assertTrue(streamed.train().streamed());
        assertEquals(memory.classes(), streamed.classes());
        assertEquals(List.of("0", "1"), streamed.classes());
        assertEquals(memory.features(), streamed.features());
        SameSplits.assertSplitsEqual(memory, streamed);
    }

    @Test
    void regressionTargetsOfAnArchiveFileAreStreamed() throws IOException {
        Path ts = dir.resolve("reg.ts");
        Files.writeString(ts, "@problemName r\n@univariate true\n@targetLabel true\n@data\n" + "1,2,3:0.5\n2,3,4:1.5\n3,4,5:2.5\n4,5,6:3.5\n".repeat(5));
        SplitData streamed = DatasetLoader.loadForTraining(config("ts", ts, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}",
                "regression"), note -> { });
        SplitData memory = DatasetLoader.loadForTraining(config("ts", ts, "{enabled: never}", "regression"), note -> { });
        assertEquals(memory.train().size(), streamed.train().size());
        for (int i = 0; i < memory.train().size(); i++) {
            assertEquals(memory.train().targetAt(i, 0)[0], streamed.train().targetAt(i, 0)[0], 0.0);
        }
    }

    @Test
    void aLabelOutsideTheDeclaredClassesNamesItsLine() throws IOException {
        Path ts = dir.resolve("bad.ts");
        Files.writeString(ts, "@problemName b\n@univariate true\n@classLabel true a b\n@data\n1,2:a\n2,3:b\n3,4:c\n");
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config("ts", ts,
                "{enabled: always, cacheDir: " + dir.resolve("cache") + "}", "classification"), note -> { }));
        assertTrue(e.getMessage().contains(ts + ":7:") && e.getMessage().contains("'c'"), e.getMessage());
    }

    private LoadedConfig text(Path data, String streaming, String topology) throws IOException {
        Path file = dir.resolve("text-" + streaming.hashCode() + ".yaml");
        Files.writeString(file, """
                name: text
                seed: 3
                task: {topology: %s, kind: classification}
                data:
                  format: text
                  path: %s
                  normalizer: none
                  text: {unit: word, %s minCount: 2, sequenceLength: 6, lowercase: true}
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(topology, data, topology.equals("many-to-one") ? "labelSeparator: \"|\"," : "", streaming));
        return ConfigLoader.load(file, List.of());
    }

    @Test
    void textIsStreamedWithTheVocabularyOfItsTrainingSplit() throws IOException {
        Path data = dir.resolve("reviews.txt");
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(1);
        String[] words = {"good", "bad", "Film", "plot", "actors", "a", "the", "very", "not", "rare" };
        for (int i = 0; i < 120; i++) {
            int n = 1 + random.nextInt(10);
            for (int w = 0; w < n; w++) {
                text.append(words[random.nextInt(i % 7 == 0 ? words.length : words.length - 1)]).append(' ');
            }
            text.append("| ").append(i % 3 == 0 ? "pos" : "neg").append('\n');
        }
        Files.writeString(data, text);
        SplitData streamed = DatasetLoader.loadForTraining(text(data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}",
                "many-to-one"), note -> { });
        SplitData memory = DatasetLoader.loadForTraining(text(data, "{enabled: never}", "many-to-one"), note -> { });
        assertTrue(streamed.train().streamed());
        assertEquals(memory.vocabulary(), streamed.vocabulary());
        assertTrue(memory.vocabulary().contains("<unk>") && !memory.vocabulary().contains("Film"), memory.vocabulary().toString());
        assertEquals(memory.classes(), streamed.classes());
        SameSplits.assertSplitsEqual(memory, streamed);
        assertEquals(memory.maxLength(), streamed.maxLength());
    }

    private LoadedConfig blocks(Path data, String streaming) throws IOException {
        Path file = dir.resolve("blocks-" + streaming.hashCode() + ".yaml");
        Files.writeString(file, """
                name: blocks
                seed: 4
                task: {topology: many-to-one, kind: classification}
                data:
                  format: rows
                  path: %s
                  labels: {from: row-blocks, blockSize: 20, classes: [up, down, flat]}
                  split: {train: 0.6, validation: 0.2, test: 0.2, stratify: true}
                  streaming: %s
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(data, streaming));
        return ConfigLoader.load(file, List.of());
    }

    /** Rows labelled by blocks of rows (UCI synthetic control's layout): every field a value, the class its block's. */
    @Test
    void rowBlocksAreStreamedAsTheInMemoryPathReadsThem() throws IOException {
        Path data = dir.resolve("blocks.csv");
        java.util.Random random = new java.util.Random(8);
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 60; r++) {
            for (int t = 0; t < 9; t++) {
                rows.append(t == 0 ? "" : ",").append(random.nextGaussian() + (r / 20) * t);
            }
            rows.append('\n');
        }
        Files.writeString(data, rows);
        SplitData streamed = DatasetLoader.loadForTraining(blocks(data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"), note -> { });
        SplitData memory = DatasetLoader.loadForTraining(blocks(data, "{enabled: never}"), note -> { });
        assertTrue(streamed.train().streamed());
        assertEquals(List.of("up", "down", "flat"), streamed.classes());
        assertEquals(9, streamed.maxLength());
        SameSplits.assertSplitsEqual(memory, streamed);
        // a file that is not the blocks of every class is refused as the in-memory path refuses it
        Files.writeString(data, rows.substring(0, rows.lastIndexOf("\n", rows.length() - 2) + 1));
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(blocks(data,
                "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"), note -> { }));
        assertTrue(e.getMessage().contains("59 rows") && e.getMessage().contains("blocks of 20"), e.getMessage());
    }
}
