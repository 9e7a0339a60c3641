package io.rnnkit.cli;

import io.rnnkit.data.TranslationTasks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence-to-sequence pairs whose in-memory reading does not fit a 48 MB heap (every symbol a string, every pair its
 * delayed input and labels): {@code validate} reading them whole runs out of memory there, while {@code train} through the
 * cache trains in that heap, decodes every split chunk by chunk, and ends with the metrics of the in-memory path.
 */
@Tag("learning") // child JVMs: in mvn verify, not the fast tier
class StreamedPairsCliTest {
    @TempDir
    Path dir;

    private Path config(String name, Path pairs, String streaming) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 3
                task:
                  topology: sequence-to-sequence
                  kind: classification
                  translation: {maxSourceLength: 40, maxTargetLength: 10, unknownSymbols: unknown, samples: 3}
                data:
                  format: text
                  path: %s
                  normalizer: none
                  text: {unit: character}
                  split: {train: 0.9, validation: 0.05, test: 0.05}
                  streaming: %s
                model:
                  embeddingSize: 4
                  layers:
                    - {type: gru, units: 8}
                training:
                  epochs: 1
                  batchSize: 512
                  updater: {type: adam, learningRate: 0.01}
                """.formatted(name, pairs, streaming));
    }

    /** Human dates and their ISO form, one pair a line (the dates generator, seeded): about 1.1 million symbols. */
    private Path pairs() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String[] pair : TranslationTasks.dates(36_000, 1)) {
            text.append(pair[0]).append('\t').append(pair[1]).append('\n');
        }
        return Files.writeString(dir.resolve("dates.tsv"), text);
    }

    @Test
    void trainsInA48MbHeapThatThePairsReadWholeDoNotFitToTheMetricsOfTheInMemoryPath() throws Exception {
        Path pairs = pairs();
        String log = ChildJvm.streamedTrainsWhereWholeDoesNot(dir, "48m", config("memory", pairs, "{enabled: never}"),
                config("streamed", pairs, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"));
        assertTrue(log.contains("32400 train") && log.contains("sample translations"), log);
        assertTrue(Files.readString(dir.resolve("streamed/metrics.json")).contains("\"exact_match\""));
    }
}
