package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.data.RowsGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming path from the command line (docs/architecture.md, "Data bigger than memory"): training in a JVM with a
 * 96 MB heap through the cache ends with the parameters and metrics of the in-memory path, and {@code validate} on a file
 * whose in-memory reading does not fit the heap says so in one line (exit 2) but streams it with {@code auto}.
 */
@Tag("learning") // child JVMs (~30 s): in mvn verify, not the fast tier
class StreamingTest {
    @TempDir
    Path dir;

    private Path config(String name, Path data, String streaming) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), rows(name, data, streaming, 8, 2, ""));
    }

    /** A classifier of a rows file, label last; {@code training} adds lines to its training section. */
    static String rows(String name, Path data, String streaming, int units, int epochs, String training) {
        return """
                name: %s
                seed: 7
                task: {topology: many-to-one, kind: classification}
                data:
                  format: rows
                  path: %s
                  labels: {from: last-column}
                  streaming: %s
                model:
                  layers:
                    - {type: lstm, units: %d}
                training:
                  epochs: %d
                  batchSize: 32
                  updater: {type: adam, learningRate: 0.01}
                """.formatted(name, data, streaming, units, epochs) + training.indent(2);
    }

    @Test
    void trainsInA96MbHeapToTheParametersOfTheInMemoryPath() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 600, 30, 3);
        Path cache = dir.resolve("cache");
        Process child = ChildJvm.start(dir.resolve("child.log"), "96m", "train",
                config("streamed", data, "{enabled: always, cacheDir: " + cache + "}").toString(), "--out", dir.resolve("streamed").toString());
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitValue(), log);
        assertTrue(log.contains("data: streamed from the cache"), log);
        assertEquals(0, Main.run("train", config("memory", data, "{enabled: never}").toString(), "--out", dir.resolve("memory").toString()));

        ObjectMapper json = new ObjectMapper();
        JsonNode streamed = json.readTree(dir.resolve("streamed/metrics.json").toFile());
        JsonNode memory = json.readTree(dir.resolve("memory/metrics.json").toFile());
        for (String split : new String[]{"train", "validation", "test"}) {
            assertEquals(memory.get(split), streamed.get(split), split);
        }
        // one shard holds the training split here, so the order, the normalizer and therefore every parameter are the same
        Map<String, byte[]> a = entries(dir.resolve("streamed/model.zip"));
        Map<String, byte[]> b = entries(dir.resolve("memory/model.zip"));
        assertEquals(a.keySet(), b.keySet());
        int compared = 0;
        for (String name : a.keySet()) {
            if (!name.endsWith("manifest.json") && !name.endsWith("provenance.json") && !name.endsWith("config.yaml")) {
                assertEquals(java.util.HexFormat.of().formatHex(b.get(name)), java.util.HexFormat.of().formatHex(a.get(name)), name);
                compared++;
            }
        }
        assertTrue(compared >= 2, "parameters and normalizer compared: " + a.keySet());
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(file.entries())) {
                out.put(e.getName(), file.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    @Test
    void validateOfAFileLargerThanTheHeapStreamsOrSaysWhatToDo() throws Exception {
        Path data = dir.resolve("large.csv");
        RowsGenerator.write(data, 40_000, 30, 5); // 1.2 million values: ~150 MB of heap in memory
        Process memory = ChildJvm.start(dir.resolve("memory.log"), "64m", "validate", config("never", data, "{enabled: never}").toString());
        assertTrue(memory.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("memory.log"));
        assertEquals(2, memory.exitValue(), log);
        assertTrue(log.contains("error: out of memory") && log.contains("data.streaming"), log);
        assertFalse(log.contains("\tat "), "no stack trace: " + log);

        Process streamed = ChildJvm.start(dir.resolve("auto.log"), "64m", "validate",
                config("auto", data, "{enabled: auto, cacheDir: " + dir.resolve("cache") + "}").toString());
        assertTrue(streamed.waitFor(120, TimeUnit.SECONDS));
        String auto = Files.readString(dir.resolve("auto.log"));
        assertEquals(0, streamed.exitValue(), auto);
        assertTrue(auto.contains("data: streamed from the cache") && auto.contains("28000 train, 6000 validation, 6000 test"), auto);
    }
}
