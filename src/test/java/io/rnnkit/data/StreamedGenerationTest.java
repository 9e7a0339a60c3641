package io.rnnkit.data;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text generation through the streaming cache: for lines and for one stream of text, by characters and by words, the
 * splits cut from the cached token ids are the in-memory path's (same vocabulary, sequences, next-token classes, order);
 * sequence-to-sequence pairs stream too (StreamedPairsTest).
 */
class StreamedGenerationTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path data, String topology, String text, String streaming) throws IOException {
        Path file = dir.resolve("gen-" + (text + streaming).hashCode() + ".yaml");
        Files.writeString(file, """
                name: gen
                seed: 11
                task: {topology: %s, kind: classification}
                data:
                  format: text
                  path: %s
                  normalizer: none
                  text: %s
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(topology, data, text, streaming));
        return ConfigLoader.load(file, List.of());
    }

    /** Lines of varied length (some longer than sequenceLength, some blank), rare tokens, and characters beyond the BMP. */
    private Path text() throws IOException {
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(3);
        String[] words = {"to", "be", "or", "not", "To", "thee", "é", "\uD83C\uDFAD", "thou", "rare,", "."};
        for (int line = 0; line < 150; line++) {
            if (line % 17 == 5) {
                text.append('\n'); // a blank line: skipped in lines mode, a line break in the stream
                continue;
            }
            int n = 1 + random.nextInt(line % 11 == 0 ? 14 : 6);
            for (int w = 0; w < n; w++) {
                text.append(words[random.nextInt(line % 9 == 0 ? words.length : words.length - 2)]).append(w + 1 < n ? " " : "");
            }
            text.append('\n');
        }
        return Files.writeString(dir.resolve("plays.txt"), text);
    }

    @ParameterizedTest
    @CsvSource({"lines, character", "lines, word", "stream, character", "stream, word"})
    void splitsCutFromTheCacheAreThoseOfTheInMemoryPath(String mode, String unit) throws IOException {
        Path data = text();
        String text = "{unit: " + unit + ", mode: " + mode + ", sequenceLength: 7, minCount: 2}";
        List<String> notes = new java.util.ArrayList<>();
        SplitData streamed = DatasetLoader.loadForTraining(config(data, "one-to-many", text,
                "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"), notes::add);
        SplitData memory = DatasetLoader.loadForTraining(config(data, "one-to-many", text, "{enabled: never}"), n -> { });
        assertEquals(1, notes.size(), notes.toString());
        if (mode.equals("stream")) { // the note counts the stream's tokens (a character's each, line breaks included), not its lines
            String tokens = unit.equals("character") ? Files.readString(data).codePoints().count() + " tokens" : " tokens";
            assertTrue(notes.get(0).contains("a stream of ") && notes.get(0).contains(tokens), notes + " should count " + tokens);
        } else {
            assertTrue(notes.get(0).contains(" sequences"), notes.toString());
        }
        SameSplits.assertPerStepSplitsEqual(memory, streamed);
        assertTrue(memory.vocabulary().contains(TextLayout.UNKNOWN) && memory.vocabulary().size() > 3, memory.vocabulary().toString());
        // the cache is read again, not rebuilt, by a second run
        DatasetLoader.loadForTraining(config(data, "one-to-many", text, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"),
                notes::add);
        assertTrue(notes.get(1).contains("reused"), notes.get(1));
    }

    @Test
    void aStreamTooShortForItsValidationPartIsRefusedAtTheSplit() throws IOException {
        Path data = Files.writeString(dir.resolve("short.txt"), "abcdefghijklmnopqrstuvwxyz\n".repeat(3));
        String text = "{unit: character, mode: stream, sequenceLength: 20}";
        ConfigException streamed = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(config(data, "one-to-many", text,
                "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"), n -> { }));
        ConfigException memory = assertThrows(ConfigException.class, () -> DatasetLoader.loadForTraining(config(data, "one-to-many", text,
                "{enabled: never}"), n -> { }));
        assertTrue(streamed.getMessage().contains("data.split.validation"), streamed.getMessage());
        // the same message but for the config file's name
        assertEquals(memory.getMessage().substring(memory.getMessage().indexOf(".yaml:")),
                streamed.getMessage().substring(streamed.getMessage().indexOf(".yaml:")));
    }
}
