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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code training.crossValidation} over the streaming cache: the folds are index sets over the cached sequences (the same
 * seeded, stratified folds as in memory), each fold's normalizer fitted in a pass over its training part, so with one
 * shard holding a fold's training part metrics.json is the in-memory path's to the bit; and in a 64 MB heap, where the
 * same file read whole runs out of memory, the folds and the final fit stream. Ensembles, {@code evaluate} and a search
 * whose candidates cross-validate take the same path, to the figures of the in-memory path.
 */
@Tag("learning") // child JVMs: in mvn verify, not the fast tier
class StreamedCrossValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config(String name, Path data, String streaming, int epochs) throws IOException {
        return config(name, data, streaming, epochs, "crossValidation: {folds: 3}", "");
    }

    /** A small classifier; {@code training} adds to its training section, {@code more} to the end. */
    private Path config(String name, Path data, String streaming, int epochs, String training, String more) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), StreamingTest.rows(name, data, streaming, 6, epochs,
                training + "\nearlyStopping: {metric: accuracy, smoothing: 1}") + more);
    }

    private JsonNode json(String file) throws IOException {
        return JSON.readTree(dir.resolve(file).toFile());
    }

    @Test
    void anEnsembleStreamsToTheMetricsOfTheInMemoryEnsemble() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 200, 12, 4);
        String ensemble = "ensemble: {members: 2}";
        assertEquals(0, Main.run("train", config("streamed", data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}", 2, ensemble, "")
                .toString(), "--out", dir.resolve("streamed").toString()));
        assertEquals(0, Main.run("train", config("memory", data, "{enabled: never}", 2, ensemble, "").toString(), "--out",
                dir.resolve("memory").toString()));
        assertTrue(Files.isDirectory(dir.resolve("cache")), "the streamed run wrote its cache");
        assertEquals(2, json("memory/metrics.json").get("ensemble").get("members").size());
        assertEquals(json("memory/metrics.json").get("ensemble"), json("streamed/metrics.json").get("ensemble"));
        assertEquals(json("memory/metrics.json").get("test"), json("streamed/metrics.json").get("test"));

        // evaluate streams the data for the bundle, and scores it as training did
        CliTest.Outcome evaluated = CliTest.rnnkit("evaluate", "--model", dir.resolve("streamed/model.zip").toString(), "--config",
                dir.resolve("streamed.yaml").toString(), "--split", "test");
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.err().contains("data: streamed from the cache"), evaluated.err());
        assertTrue(evaluated.out().contains(String.format(java.util.Locale.ROOT, "accuracy=%.4f",
                json("streamed/metrics.json").get("test").get("accuracy").asDouble())), evaluated.out());
    }

    @Test
    void aSearchWithFoldsStreamsToTheChoiceOfTheInMemorySearch() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 200, 12, 5);
        String search = """
                search:
                  metric: accuracy
                  split: validation
                  maxCandidates: 2
                  space:
                    - {path: 'model.layers[*].units', integer: [3, 8]}
                """;
        String folds = "crossValidation: {folds: 2}";
        assertEquals(0, Main.run("tune", config("streamed", data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}", 2, folds, search)
                .toString(), "--out", dir.resolve("streamed").toString()));
        assertEquals(0, Main.run("tune", config("memory", data, "{enabled: never}", 2, folds, search).toString(), "--out",
                dir.resolve("memory").toString()));
        assertTrue(Files.isDirectory(dir.resolve("cache")), "the streamed search wrote its cache");
        JsonNode best = json("memory/best/metrics.json");
        assertEquals(2, best.get("crossValidation").get("folds").asInt());
        assertEquals(best.get("crossValidation"), json("streamed/best/metrics.json").get("crossValidation"));
        assertEquals(best.get("test"), json("streamed/best/metrics.json").get("test"));
    }

    @Test
    void streamedFoldsGiveTheMetricsOfTheInMemoryFolds() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 300, 16, 3);
        Path cache = dir.resolve("cache");
        assertEquals(0, Main.run("train", config("streamed", data, "{enabled: always, cacheDir: " + cache + "}", 3).toString(),
                "--out", dir.resolve("streamed").toString()));
        assertEquals(0, Main.run("train", config("memory", data, "{enabled: never}", 3).toString(), "--out", dir.resolve("memory").toString()));
        assertTrue(Files.isDirectory(cache), "the streamed run wrote its cache");

        JsonNode streamed = JSON.readTree(dir.resolve("streamed/metrics.json").toFile());
        JsonNode memory = JSON.readTree(dir.resolve("memory/metrics.json").toFile());
        JsonNode cv = memory.get("crossValidation");
        assertEquals(3, cv.get("folds").asInt());
        assertEquals(3, cv.get("perFold").size());
        // the same folds (sizes), each fold's curve and the chosen epochs, and the final fit's test figures
        assertEquals(cv, streamed.get("crossValidation"));
        assertEquals(memory.get("test"), streamed.get("test"));
        assertEquals(memory.get("train"), streamed.get("train"));
        // the saved folds byte for byte: the same figures, keys in the same order
        assertEquals(Files.readString(dir.resolve("memory/" + io.rnnkit.train.CrossValidation.FILE)),
                Files.readString(dir.resolve("streamed/" + io.rnnkit.train.CrossValidation.FILE)));
    }

    @Test
    void crossValidatesIn64MbWhereTheDataReadWholeDoesNotFit() throws Exception {
        Path data = dir.resolve("large.csv");
        RowsGenerator.write(data, 40_000, 30, 5); // 1.2 million values: ~150 MB of heap read whole
        String folds = "crossValidation: {folds: 2}";
        Process memory = ChildJvm.start(dir.resolve("memory.log"), "64m", "train", config("never", data, "{enabled: never}", 1, folds, "").toString(),
                "--out", dir.resolve("never").toString());
        assertTrue(memory.waitFor(120, TimeUnit.SECONDS), "the in-memory child did not finish");
        String whole = Files.readString(dir.resolve("memory.log"));
        assertEquals(2, memory.exitValue(), whole);
        assertTrue(whole.contains("error: out of memory"), whole);

        Process child = ChildJvm.start(dir.resolve("child.log"), "64m", "train",
                config("auto", data, "{enabled: auto, cacheDir: " + dir.resolve("cache") + "}", 1, folds, "").toString(), "--out",
                dir.resolve("auto").toString());
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the streamed child did not finish");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitValue(), log);
        assertTrue(log.contains("data: streamed from the cache"), log);
        assertFalse(log.contains("\tat "), log);
        JsonNode cv = JSON.readTree(dir.resolve("auto/metrics.json").toFile()).get("crossValidation");
        assertEquals(2, cv.get("folds").asInt());
        int validated = 0;
        for (JsonNode fold : cv.get("foldSizes")) {
            validated += fold.get("validation").asInt();
        }
        assertEquals(34_000, validated, "every training and validation sequence validated once (85 % of 40 000)");
    }
}
