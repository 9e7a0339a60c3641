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
    static final String CONFIG = """
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

    /**
     * Spark's UI is off unless asked; asked, it answers on 127.0.0.1 (SPARK_LOCAL_IP, which the failsafe execution sets
     * as ./rnnkit does for a local master) and not on the machine's other addresses. The same search publishes to
     * {@code executor.shared}, a Hadoop URI (here file:), which the driver copies the run directory from.
     */
    @Test
    void sparksUiIsOffUnlessAskedAndThenOnLoopbackOnly() throws Exception {
        assertTrue(notes.stream().filter(n -> n.startsWith("Spark ")).noneMatch(n -> n.contains("UI")), "off by default: " + notes);
        assertEquals("127.0.0.1", System.getenv("SPARK_LOCAL_IP"), "the failsafe execution sets it");
        ConfigSource source = new ConfigSource(CONFIG, "spark-search.yaml",
                List.of("search.maxCandidates=1", "search.executor.spark=local[1]", "search.executor.ui=true",
                        "search.executor.shared=" + dir.resolve("shared").toUri()));
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        String[] ui = new String[1];
        Search.run(source, dir.resolve("ui"), null, new SearchListener() {
            @Override
            public void note(String message) {
                if (message.startsWith("Spark ") && message.contains(", UI ")) {
                    ui[0] = message.substring(message.indexOf(", UI ") + 5);
                }
            }

            @Override
            public void started(int candidate, CandidateConfig config) {
                // while the search runs: the UI answers on loopback, and no other address of this machine takes a connection
                java.net.URI address = java.net.URI.create(ui[0]);
                answers.add(address.getHost());
                try {
                    java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:" + address.getPort() + "/jobs/").toURL().openConnection();
                    answers.add("loopback " + c.getResponseCode());
                    for (java.net.NetworkInterface nic : Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                        for (java.net.InetAddress other : Collections.list(nic.getInetAddresses())) {
                            if (!other.isLoopbackAddress() && other instanceof java.net.Inet4Address) {
                                try (java.net.Socket socket = new java.net.Socket()) {
                                    socket.connect(new java.net.InetSocketAddress(other, address.getPort()), 2000);
                                    answers.add("answered on " + other.getHostAddress());
                                } catch (IOException refused) {
                                    answers.add("refused on " + other.getHostAddress());
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    answers.add(e.toString());
                }
            }
        });
        assertTrue(ui[0] != null, "the UI's address is told");
        assertEquals("loopback 200", answers.get(1), answers.toString());
        assertTrue(answers.stream().noneMatch(a -> a.startsWith("answered on")), answers.toString());
        System.out.println("Spark's UI: " + answers);

        assertTrue(Files.isRegularFile(dir.resolve("shared/0000/model.zip")), "published to the shared URI");
        assertTrue(Files.isRegularFile(dir.resolve("ui/candidates/0000/model.zip")), "copied into the search directory");
        assertTrue(Files.isRegularFile(dir.resolve("ui/best/metrics.json")), "best/ from the copy");
        try (Stream<Path> files = Files.walk(dir.resolve("ui"))) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".crc")).toList());
        }
    }

    /** A candidate whose every attempt fails (maxFailures 1 here) is a failed row with Spark's reason, and the search ends normally. */
    @Test
    void aCandidateThatFailsEveryAttemptIsAFailedRow() throws IOException {
        ConfigSource source = new ConfigSource(CONFIG, "spark-search.yaml", List.of("search.maxCandidates=1", "search.executor.spark=local[1]",
                "search.executor.maxFailures=1"));
        List<String> told = Collections.synchronizedList(new ArrayList<>());
        System.setProperty(SparkExecutor.FAIL_FIRST_ATTEMPT, "0");
        Search.Outcome outcome;
        try {
            outcome = Search.run(source, dir.resolve("failing"), null, new SearchListener() {
                @Override
                public void note(String message) {
                    told.add(message);
                }
            });
        } finally {
            System.clearProperty(SparkExecutor.FAIL_FIRST_ATTEMPT);
        }
        assertEquals(1, outcome.ranked().size());
        TrialRecord failed = outcome.ranked().get(0);
        assertEquals("failed", failed.status());
        assertTrue(failed.reason().contains("on Spark: Job aborted") && failed.reason().contains("test hook"), failed.reason());
        assertEquals(null, outcome.best());
        assertTrue(told.stream().anyMatch(n -> n.startsWith("candidate 0: Spark task attempt 1 of 1 failed") && !n.endsWith("Spark runs it again")), told.toString());
        assertEquals(2, Files.readAllLines(dir.resolve("failing/trials.csv")).size(), "a header and the failed row");
    }

    private static List<String> withoutSeconds(List<TrialRecord> ranked) {
        return ranked.stream().map(t -> t.id() + " " + t.values() + " " + t.status() + " " + t.score() + " " + t.epochs() + " " + t.curve()).toList();
    }

    private static List<String> csvWithoutSeconds(Path search) throws IOException {
        return Files.readAllLines(search.resolve("trials.csv")).stream().map(l -> l.replaceAll(",[0-9.]+,([^,]*)$", ",$1")).toList();
    }
}
