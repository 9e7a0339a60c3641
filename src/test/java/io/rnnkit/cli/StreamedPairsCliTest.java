package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.data.TranslationTasks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        Path memoryConfig = config("memory", pairs, "{enabled: never}");
        Process whole = ChildJvm.start(dir.resolve("whole.log"), "48m", "validate", memoryConfig.toString());
        assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String wholeLog = Files.readString(dir.resolve("whole.log"));
        assertNotEquals(0, whole.exitValue(), wholeLog);
        assertTrue(wholeLog.contains("out of memory"), wholeLog);

        Process streamed = ChildJvm.start(dir.resolve("streamed.log"), "48m", "train",
                config("streamed", pairs, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}").toString(),
                "--out", dir.resolve("streamed").toString());
        assertTrue(streamed.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(dir.resolve("streamed.log"));
        assertEquals(0, streamed.exitValue(), log);
        assertTrue(log.contains("data: streamed from the cache") && log.contains("sample translations"), log);

        assertEquals(0, Main.run("train", memoryConfig.toString(), "--out", dir.resolve("memory").toString()));
        ObjectMapper json = new ObjectMapper();
        JsonNode s = json.readTree(dir.resolve("streamed/metrics.json").toFile());
        JsonNode m = json.readTree(dir.resolve("memory/metrics.json").toFile());
        for (String split : new String[]{"train", "validation", "test"}) {
            assertTrue(m.get(split).get("loss").asDouble() > 0 && m.get(split).has("exact_match"), split);
            assertEquals(m.get(split), s.get(split), split);
        }
    }
}
