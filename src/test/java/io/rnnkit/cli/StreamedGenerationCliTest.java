package io.rnnkit.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A character language model over a text whose in-memory reading does not fit a 64 MB heap (every character a token
 * string, every chunk its arrays): {@code validate} reading it whole runs out of memory there, while {@code train} through
 * the cache trains in that heap and ends with the metrics of the in-memory path (one shard holds the training split, so
 * the order is the same, and the streamed evaluation sums in the split's order: the same figures to the last bit).
 */
@Tag("learning") // child JVMs: in mvn verify, not the fast tier
class StreamedGenerationCliTest {
    @TempDir
    Path dir;

    private Path config(String name, Path text, String streaming) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 7
                task: {topology: one-to-many, kind: classification}
                data:
                  format: text
                  path: %s
                  normalizer: none
                  text: {unit: character, mode: stream, sequenceLength: 100}
                  split: {train: 0.9, validation: 0.05, test: 0.05}
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: lstm, units: 8}
                training:
                  epochs: 1
                  batchSize: 512
                  updater: {type: adam, learningRate: 0.01}
                """.formatted(name, text, streaming));
    }

    /** About 1.2 million characters of lines of words drawn at random (seeded). */
    private Path text() throws IOException {
        String[] words = {"the", "king", "queen", "thou", "art", "and", "of", "to", "my", "lord", "shall", "not", "be", "what", "is"};
        Random random = new Random(1);
        StringBuilder text = new StringBuilder();
        while (text.length() < 1_200_000) {
            for (int w = 0, n = 1 + random.nextInt(12); w < n; w++) {
                text.append(words[random.nextInt(words.length)]).append(w + 1 < n ? ' ' : '\n');
            }
        }
        return Files.writeString(dir.resolve("words.txt"), text);
    }

    @Test
    void trainsInA64MbHeapThatTheWholeTextDoesNotFitToTheMetricsOfTheInMemoryPath() throws Exception {
        Path text = text();
        String log = ChildJvm.streamedTrainsWhereWholeDoesNot(dir, "64m", config("memory", text, "{enabled: never}"),
                config("streamed", text, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"));
        assertTrue(log.contains("10800 train"), log);
    }
}
