package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rnnkit tune end to end: failures are rows of trials.csv, not crashes; best/ is a full run directory; and a search
 * killed with SIGKILL in a separate JVM resumes, keeping what it finished and going on to its budget.
 */
class TuneTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * A grid of 2 cells × 2 learning rates on a net that diverges at 9.9 (as TrainerTest's divergence case), where a
     * GRU is invalid because the layers ask for DL4J's implementation (DL4J has no GRU); two candidates at a time.
     */
    private static final String FAILING = """
            name: failing
            seed: 42
            data:
              format: generated
              generator: {samplesPerClass: 10, length: 12}
            model:
              weightInit: uniform
              layers:
                - {type: simple-rnn, units: 64, activation: relu, implementation: dl4j}
            training:
              epochs: 3
              updater: {type: sgd, learningRate: 0.01}
              gradientClipping: {type: none}
            search:
              algorithm: grid
              parallelism: 2
              metric: accuracy
              maxCandidates: 10
              space:
                - {path: 'model.layers[*].type', choice: [simple-rnn, gru]}
                - {path: training.updater.learningRate, choice: ['0.01', '9.9']}
            """;

    @Test
    void failuresAreRecordedAsDataAndTheBestCandidateIsAFullRunDirectory() throws IOException {
        Path config = Files.writeString(dir.resolve("failing.yaml"), FAILING);
        Path out = dir.resolve("search");
        CliTest.Outcome o = CliTest.rnnkit("tune", config.toString(), "--out", out.toString());
        assertEquals(0, o.code(), o.err() + o.out());

        List<Map<String, String>> rows = csv(out.resolve("trials.csv"));
        assertEquals(List.of("id", "model.layers[*].type", "training.updater.learningRate", "score", "status", "epochs", "seconds", "reason"),
                List.copyOf(rows.get(0).keySet()));
        assertEquals(4, rows.size(), "the grid has 4 points, fewer than maxCandidates: the search ends with the grid");
        // Arbiter's grid varies the first dimension fastest
        assertEquals(List.of("simple-rnn 0.01 completed", "gru 0.01 invalid", "simple-rnn 9.9 diverged", "gru 9.9 invalid"),
                rows.stream().map(r -> r.get("model.layers[*].type") + " " + r.get("training.updater.learningRate") + " " + r.get("status")).toList());
        assertTrue(rows.get(1).get("reason").contains("DL4J has no GRU"), rows.get(1).toString());
        assertTrue(rows.get(2).get("reason").contains("training diverged: the loss became"), rows.get(2).toString());
        assertEquals("", rows.get(2).get("score"));
        assertEquals(3, Integer.parseInt(rows.get(0).get("epochs")));

        assertTrue(o.out().contains("[4/4] #"), o.out());
        assertTrue(o.out().contains("leaderboard (4 candidates, validation accuracy"), o.out());
        assertTrue(o.out().contains("#2 diverged: training diverged"), o.out());

        Path best = out.resolve("best");
        for (String file : List.of("config.yaml", "metrics.json", "history.csv", "model.zip", "status.json", "plots/loss.png")) {
            assertTrue(Files.isRegularFile(best.resolve(file)), "best/ lacks " + file);
        }
        ExperimentConfig bestConfig = ConfigLoader.load(best.resolve("config.yaml"), List.of()).config();
        assertNull(bestConfig.search(), "best/config.yaml is an ordinary config that rnnkit train repeats");
        assertEquals(0.01, bestConfig.training().updater().learningRate());
        JsonNode metrics = JSON.readTree(best.resolve("metrics.json").toFile());
        assertEquals(Double.parseDouble(rows.get(0).get("score")), metrics.get("validation").get("accuracy").asDouble(), 1e-12);
        RnnModel model = RnnModel.load(best.resolve("model.zip"));
        assertEquals(6, model.contract().classes().size());
        assertEquals(0.01, model.config().training().updater().learningRate());
    }

    /** --spark is checked like search.executor.spark in the file; the DL4J UI and Spark cannot share a JVM (two nettys), so --ui is refused. */
    @Test
    void sparkOptionsAreCheckedBeforeAnythingStarts() throws IOException {
        Path config = Files.writeString(dir.resolve("search.yaml"), Yaml.SEARCH);
        CliTest.Outcome master = CliTest.rnnkit("tune", config.toString(), "--out", dir.resolve("a").toString(), "--spark", "nowhere");
        assertEquals(2, master.code(), master.err());
        assertTrue(master.err().contains("search.executor.spark") && master.err().contains("spark://HOST:PORT"), master.err());
        CliTest.Outcome ui = CliTest.rnnkit("tune", config.toString(), "--out", dir.resolve("b").toString(), "--spark", "local[2]", "--ui");
        assertEquals(2, ui.code(), ui.err());
        assertTrue(ui.err().contains("--ui: the Deeplearning4j UI and Spark need two versions of netty"), ui.err());
        assertTrue(!Files.exists(dir.resolve("a")) && !Files.exists(dir.resolve("b")), "nothing written");
    }

    /** Rows of a CSV without quoted commas in the columns read here, as column → value. */
    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", head.length);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < head.length; i++) {
                row.put(head[i], i < cells.length ? cells[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void aSearchKilledWithSigkillResumesKeepingItsFinishedCandidates() throws Exception {
        Path config = Files.writeString(dir.resolve("resumable.yaml"), Yaml.SEARCH);
        Path out = dir.resolve("killed");
        String[] budget = {"--set", "search.maxCandidates=7", "--set", "training.epochs=5", "--set", "search.metric=loss"};
        List<String> args = new ArrayList<>(List.of("tune", config.toString(), "--out", out.toString()));
        args.addAll(List.of(budget));
        Process p = ChildJvm.start(dir.resolve("killed.log"), "1g", args.toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(out.resolve("trials/0001.json"))) {
            assertTrue(p.isAlive(), "the search ended early: " + Files.readString(dir.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "no 2 candidates finished in 2 minutes");
            Thread.sleep(20);
        }
        p.destroyForcibly();
        p.waitFor();
        Map<String, FileTime> kept = new LinkedHashMap<>();
        try (var files = Files.list(out.resolve("trials"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                kept.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
            }
        }
        assertTrue(kept.size() >= 2 && kept.size() < 7, "killed in the middle of the search: " + kept.keySet());

        CliTest.Outcome resumed = CliTest.rnnkit(tune(config, out, budget));
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertEquals(kept.size(), resumed.out().split("\\(earlier session\\)", -1).length - 1, resumed.out());
        for (Map.Entry<String, FileTime> e : kept.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(out.resolve("trials").resolve(e.getKey())), e.getKey() + " was not trained again");
        }
        assertTrue(resumed.out().contains("leaderboard (7 candidates"), resumed.out());
        assertTrue(resumed.out().contains("[7/7]"), resumed.out());

        // the same search never interrupted: the same candidates, in the same order, with the same scores
        CliTest.Outcome whole = CliTest.rnnkit(tune(config, dir.resolve("whole"), budget));
        assertEquals(0, whole.code(), whole.err());
        assertEquals(withoutSeconds(dir.resolve("whole/trials.csv")), withoutSeconds(out.resolve("trials.csv")));
        assertEquals(JSON.readTree(dir.resolve("whole/best/metrics.json").toFile()), JSON.readTree(out.resolve("best/metrics.json").toFile()));

        CliTest.Outcome other = CliTest.rnnkit(tune(config, out, "--set", "training.epochs=2"));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds a search of another config (or other --set values)"), other.err());
    }

    private static String[] tune(Path config, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("tune", config.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static List<String> withoutSeconds(Path csv) throws IOException {
        return csv(csv).stream().map(r -> {
            Map<String, String> copy = new LinkedHashMap<>(r);
            copy.remove("seconds");
            return copy.toString();
        }).toList();
    }
}
