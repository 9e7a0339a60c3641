package io.rnnkit.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.ExecutorConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search on Spark ({@code local[2]}, everything on 127.0.0.1) against the same search in this process: the same
 * candidates with the same scores and the same best, and a candidate whose first task attempt throws (after it
 * published its run directory) is run again by Spark and recorded exactly once. In {@code mvn verify} (failsafe),
 * as Spark weighs more than the fast tier should carry.
 */
@Tag("spark")
class SparkSearchTest {
    /** Six seeded random candidates of a tiny classifier, two at a time; no dropout, so each trains the same on any thread. */
    private static final String CONFIG = """
            name: spark-search
            seed: 7
            data:
              format: generated
              generator: {samplesPerClass: 8, length: 10}
            model:
              layers:
                - {type: lstm, units: 4}
            training: {epochs: 2, checkpointEvery: 0}
            search:
              algorithm: random
              metric: accuracy
              maxCandidates: 6
              parallelism: 2
              space:
                - {path: 'model.layers[*].type', choice: [lstm, gru, simple-rnn]}
                - {path: 'model.layers[*].units', integer: [2, 6]}
                - {path: training.updater.learningRate, logUniform: [0.001, 0.1]}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The candidate whose first attempt fails. */
    private static final int FAILING = 2;

    @TempDir
    static Path dir;
    private static Search.Outcome local;
    private static Search.Outcome spark;
    private static final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private static final List<Integer> finished = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void searchHereAndOnSpark() {
        ConfigSource source = new ConfigSource(CONFIG, "spark-search.yaml", List.of());
        long start = System.nanoTime();
        local = Search.run(source, dir.resolve("local"), SearchListener.SILENT);
        double localSeconds = (System.nanoTime() - start) / 1e9;

        ExecutorConfig onSpark = Search.onSpark(source, "local[2]");
        SearchListener listener = new SearchListener() {
            @Override
            public void finished(TrialRecord record, boolean resumed, SearchProgress progress) {
                finished.add(record.id());
            }

            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
        System.setProperty(SparkExecutor.FAIL_FIRST_ATTEMPT, Integer.toString(FAILING));
        try {
            start = System.nanoTime();
            spark = Search.run(source, dir.resolve("spark"), onSpark, listener);
        } finally {
            System.clearProperty(SparkExecutor.FAIL_FIRST_ATTEMPT);
        }
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("6 candidates, 2 at a time: %.1f s in this process, %.1f s on Spark local[2] (Spark's start and one retried candidate included)%n",
                localSeconds, sparkSeconds);
        notes.forEach(n -> System.out.println("note: " + n));
    }

    @Test
    void sparkGivesTheSameCandidatesScoresAndBestAsALocalSearch() throws IOException {
        assertEquals(6, local.ranked().size());
        assertEquals(withoutSeconds(local.ranked()), withoutSeconds(spark.ranked()));
        assertTrue(local.ranked().stream().allMatch(TrialRecord::scored), "every candidate trained: " + local.ranked());
        assertTrue(local.ranked().stream().map(TrialRecord::score).distinct().count() > 1, "the candidates differ, so the comparison can fail");
        assertEquals(local.best().id(), spark.best().id());
        assertEquals(JSON.readTree(local.bestDirectory().resolve("metrics.json").toFile()), JSON.readTree(spark.bestDirectory().resolve("metrics.json").toFile()));
        assertTrue(Files.isRegularFile(spark.bestDirectory().resolve("model.zip")), "best/ is a whole run directory");
        assertEquals(csvWithoutSeconds(local.directory()), csvWithoutSeconds(spark.directory()));
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("Spark ") && n.contains("master local[2,4]")), notes.toString());
    }

    @Test
    void aCandidateWhoseTaskThrowsIsRetriedAndRecordedOnce() throws IOException {
        List<String> retries = notes.stream().filter(n -> n.contains("Spark task attempt")).toList();
        assertEquals(1, retries.size(), notes.toString());
        assertTrue(retries.get(0).startsWith("candidate " + FAILING + ": Spark task attempt 1 of 4 failed")
                && retries.get(0).contains("test hook") && retries.get(0).endsWith("Spark runs it again"), retries.get(0));

        assertEquals(List.of(0, 1, 2, 3, 4, 5), finished.stream().sorted().toList(), "each candidate ended once");
        try (Stream<Path> trials = Files.list(spark.directory().resolve("trials"))) {
            assertEquals(6, trials.count());
        }
        TrialRecord retried = spark.ranked().stream().filter(t -> t.id() == FAILING).findFirst().orElseThrow();
        assertEquals("completed", retried.status());
        try (Stream<Path> candidates = Files.list(spark.directory().resolve("candidates"))) {
            assertEquals(List.of("0000", "0001", "0002", "0003", "0004", "0005"),
                    candidates.map(p -> p.getFileName().toString()).sorted().toList(), "one run directory each, no attempt left beside them");
        }
        try (Stream<Path> files = Files.walk(spark.directory())) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".crc")).toList(), "Hadoop's checksum files stay out");
        }
    }

    private static List<String> withoutSeconds(List<TrialRecord> ranked) {
        return ranked.stream().map(t -> t.id() + " " + t.values() + " " + t.status() + " " + t.score() + " " + t.epochs() + " " + t.curve()).toList();
    }

    private static List<String> csvWithoutSeconds(Path search) throws IOException {
        return Files.readAllLines(search.resolve("trials.csv")).stream().map(l -> l.replaceAll(",[0-9.]+,([^,]*)$", ",$1")).toList();
    }
}
