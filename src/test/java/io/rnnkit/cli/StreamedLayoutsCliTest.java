package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.data.LayoutFiles;
import io.rnnkit.data.RowsGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming path of the layouts besides rows from the command line: {@code train} in a JVM with a 64 MB heap through
 * the cache ends with the metrics of the in-memory path (one shard holds the training split, so the order is the same),
 * and {@code validate} with {@code auto} streams an archive file whose in-memory reading would not fit such a heap.
 */
@Tag("learning") // child JVMs: in mvn verify, not the fast tier
class StreamedLayoutsCliTest {
    @TempDir
    Path dir;

    private Path config(String name, String format, Path data, String streaming) throws IOException {
        boolean text = format.equals("text");
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                seed: 7
                task: {topology: many-to-one, kind: classification}
                data:
                  format: %s
                  path: %s
                  %s
                  streaming: %s
                model:
                  %s
                  layers:
                    - {type: lstm, units: 6}
                training:
                  epochs: 1
                  batchSize: 32
                  updater: {type: adam, learningRate: 0.01}
                """.formatted(name, format, data, text ? "normalizer: none\n  text: {unit: character, labelSeparator: \"|\", sequenceLength: 20}" : "",
                streaming, text ? "embeddingSize: 4" : ""));
        return file;
    }

    /** The rows file's sequences in the layout; for text, each row's values rounded to digits as characters. */
    private Path data(String format) throws IOException {
        Path rows = dir.resolve("rows.csv");
        RowsGenerator.write(rows, 300, 16, 3);
        if (!format.equals("text")) {
            return LayoutFiles.write(rows, format, dir.resolve("data." + format));
        }
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(rows)) {
            String[] fields = line.split(",");
            for (int t = 0; t < fields.length - 1; t++) {
                text.append((char) ('a' + Math.max(0, Math.min(9, (int) Math.round(Double.parseDouble(fields[t]) * 3 + 4)))));
            }
            text.append('|').append(fields[fields.length - 1]).append('\n');
        }
        return Files.writeString(dir.resolve("data.txt"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequence-files", "ts", "arff", "text"})
    void trainsInA64MbHeapToTheMetricsOfTheInMemoryPath(String format) throws Exception {
        Path data = data(format);
        Process child = ChildJvm.start(dir.resolve("child.log"), "64m", "train",
                config("streamed", format, data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}").toString(),
                "--out", dir.resolve("streamed").toString());
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitValue(), log);
        assertTrue(log.contains("data: streamed from the cache") && log.contains("300 sequences"), log);
        assertEquals(0, Main.run("train", config("memory", format, data, "{enabled: never}").toString(), "--out", dir.resolve("memory").toString()));
        ObjectMapper json = new ObjectMapper();
        JsonNode streamed = json.readTree(dir.resolve("streamed/metrics.json").toFile());
        JsonNode memory = json.readTree(dir.resolve("memory/metrics.json").toFile());
        for (String split : new String[]{"train", "validation", "test"}) {
            assertTrue(memory.get(split).size() > 0, split);
            assertEquals(memory.get(split), streamed.get(split), split);
        }
    }

    @Test
    void validateWithAutoStreamsAnArchiveFileLargerThanTheHeap() throws Exception {
        Path rows = dir.resolve("large.csv");
        RowsGenerator.write(rows, 40_000, 30, 5); // 1.2 million values: ~150 MB of heap in memory
        Path ts = LayoutFiles.write(rows, "ts", dir.resolve("large.ts"));
        Files.delete(rows);
        Process streamed = ChildJvm.start(dir.resolve("auto.log"), "64m", "validate",
                config("auto", "ts", ts, "{enabled: auto, cacheDir: " + dir.resolve("cache") + "}").toString());
        assertTrue(streamed.waitFor(120, TimeUnit.SECONDS));
        String auto = Files.readString(dir.resolve("auto.log"));
        assertEquals(0, streamed.exitValue(), auto);
        assertTrue(auto.contains("data: streamed from the cache") && auto.contains("28000 train, 6000 validation, 6000 test"), auto);
    }
}
