package io.rnnkit.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.bench.Percentiles;
import io.rnnkit.bundle.RnnModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server under load from a client in another JVM ({@link LoadClient}, 16 connections on loopback): 10 000
 * predict requests on the quickstart's network and 100 streaming sessions of 60 steps each, with no error and
 * the heap after the run within 10 % of before; then a flood far beyond a small queue, answered 503 (with
 * {@code Retry-After}) or 200, never a failure or a hang. Prints the latencies, and the in-process
 * {@link RnnModel} call's beside them: the figures of docs/benchmarks.md, "Model server".
 */
@Tag("packaged")
class ServerLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 10_000;
    private static final int CONNECTIONS = 16;

    @TempDir
    Path dir;

    @Test
    void tenThousandRequestsAndSessionsWithoutErrorThenAFloodAnswered503() throws Exception {
        RnnModel model = RnnModel.load(ServeModels.quickstart());
        List<double[][]> sequences = new ArrayList<>();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 100; i++) { // charts of the quickstart's shape: 60 steps of one value around its training range
            double[][] s = new double[60][1];
            double trend = random.nextGaussian() * 0.3;
            for (int t = 0; t < 60; t++) {
                s[t][0] = 30 + trend * t + 2 * random.nextGaussian();
            }
            sequences.add(s);
        }
        Path bodies = Files.write(dir.resolve("bodies.txt"), sequences.stream().map(s -> "{\"input\":" + JSON.valueToTree(s) + "}").toList());
        Path steps = Files.write(dir.resolve("steps.txt"), Arrays.stream(sequences.get(0)).map(v -> "{\"values\":" + JSON.valueToTree(v) + "}").toList());

        StringBuilder report = new StringBuilder();
        try (ModelServer server = ModelServer.start(Map.of("quickstart", model), ServerOptions.defaults(0))) {
            String base = server.uri().toString();
            client("predict", base, 1_000, CONNECTIONS, bodies); // warm-up: JIT, replicas, connections
            client("sessions", base, 20, CONNECTIONS, steps);    // and the sessions' path, so both rounds below only reuse
            long heapBefore = heapAfterGc();
            Map<String, String> predict = client("predict", base, REQUESTS, CONNECTIONS, bodies);
            Map<String, String> session = client("sessions", base, 100, CONNECTIONS, steps);
            long heapAfter = heapAfterGc();
            double[] before = serverTime(server);
            Map<String, String> sequential = client("predict", base, 2_000, 1, bodies);
            double[] after = serverTime(server);
            double serverMs = 1000 * (after[0] - before[0]) / (after[1] - before[1]);

            assertEquals("0", predict.get("exceptions"), predict.toString());
            assertEquals(Integer.toString(REQUESTS), predict.get("status200"), predict.toString());
            assertEquals(1, predict.keySet().stream().filter(k -> k.startsWith("status")).count(), "only 200s: " + predict);
            assertEquals("0", session.get("exceptions"), session.toString());
            assertEquals("100", session.get("status201"), session.toString());
            assertEquals("6000", session.get("status200"), session.toString());
            assertEquals("100", session.get("status204"), session.toString());
            String metrics = ModelServerTest.metrics(server);
            assertTrue(metrics.contains("rnnkit_sessions_open{model=\"quickstart\"} 0\n"), metrics);
            assertTrue(heapAfter <= 1.10 * heapBefore, "heap after GC grew from " + heapBefore + " to " + heapAfter + " bytes");

            double[] inProcess16 = inProcess(model, sequences, REQUESTS, CONNECTIONS);
            double[] inProcess1 = inProcess(model, sequences, 2_000, 1);
            report.append(String.format(Locale.ROOT, """
                    predict, %d requests over %d connections: p50 %s ms, p99 %s ms, %s s (%.0f requests/s)
                      in-process RnnModel.classify, %d calls on %d threads: p50 %.3f ms, p99 %.3f ms
                    predict, 2000 requests over 1 connection: p50 %s ms, p99 %s ms
                      in-process RnnModel.classify, 2000 calls on 1 thread: p50 %.3f ms, p99 %.3f ms
                      server overhead per request (p50, one connection): %.3f ms, of which %.3f ms mean inside the server
                      (rnnkit_request_duration_seconds: body read to answer written; the rest is the client, TCP and the JDK's HTTP layers)
                    sessions, 100 × (open, 60 steps, close) over %d connections: p50 %s ms, p99 %s ms, %s s
                    heap used after GC: %.1f MB before, %.1f MB after (%+.1f %%)
                    """, REQUESTS, CONNECTIONS, predict.get("p50ms"), predict.get("p99ms"), predict.get("seconds"),
                    REQUESTS / Double.parseDouble(predict.get("seconds")), REQUESTS, CONNECTIONS, inProcess16[0], inProcess16[1],
                    sequential.get("p50ms"), sequential.get("p99ms"), inProcess1[0], inProcess1[1],
                    Double.parseDouble(sequential.get("p50ms")) - inProcess1[0], serverMs, CONNECTIONS, session.get("p50ms"), session.get("p99ms"),
                    session.get("seconds"), heapBefore / 1e6, heapAfter / 1e6, 100.0 * (heapAfter - heapBefore) / heapBefore));
        }

        try (ModelServer small = ModelServer.start(Map.of("quickstart", model), ServerOptions.defaults(0).withThreads(1, 4))) {
            Map<String, String> flood = client("predict", small.uri().toString(), 3_000, 64, bodies);
            assertEquals("0", flood.get("exceptions"), flood.toString());
            assertEquals("0", flood.get("missingRetryAfter"), flood.toString());
            long ok = Long.parseLong(flood.getOrDefault("status200", "0"));
            long busy = Long.parseLong(flood.getOrDefault("status503", "0"));
            assertTrue(busy > 0 && ok > 0, "a flood of 64 connections on 1 thread and a queue of 4: both answers expected, " + flood);
            assertEquals(3_000, ok + busy, "only 200 and 503: " + flood);
            HttpResponse<String> health = ModelServerTest.send(small, "GET", "/health", null);
            assertEquals(200, health.statusCode(), "the server is still up");
            report.append(String.format(Locale.ROOT, "flood, 3000 requests over 64 connections on 1 thread with a queue of 4: %d × 200, %d × 503"
                    + " (Retry-After), %s s%n", ok, busy, flood.get("seconds")));
        }
        System.out.print(report);
        Files.writeString(Path.of("target/serve-load.txt"), report);
    }

    /** The server's own predict time so far, from its metrics: {sum of seconds, count}. */
    private static double[] serverTime(ModelServer server) throws Exception {
        double[] out = new double[2];
        for (String line : ModelServerTest.metrics(server).lines().toList()) {
            if (line.startsWith("rnnkit_request_duration_seconds_sum{model=\"quickstart\",endpoint=\"predict\"}")) {
                out[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("rnnkit_request_duration_seconds_count{model=\"quickstart\",endpoint=\"predict\"}")) {
                out[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertTrue(out[1] > 0, "the predict histogram is in the metrics");
        return out;
    }

    /**
     * Runs {@link LoadClient} in a new JVM and parses its report line. Its class path is the test classes and rnnkit's
     * own (for the benchmarks' percentile rule, {@code io.rnnkit.bench.Percentiles}), none of the dependencies: it speaks
     * only HTTP to the server.
     */
    private static Map<String, String> client(String mode, String base, int count, int connections, Path lines)
            throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", Path.of("target/test-classes").toAbsolutePath() + java.io.File.pathSeparator + Path.of("target/classes").toAbsolutePath(),
                LoadClient.class.getName(),
                mode, base, "quickstart", Integer.toString(count), Integer.toString(connections), lines.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the load client did not finish in 5 minutes (a hang)");
        }
        assertEquals(0, process.exitValue(), out);
        System.out.print(mode + " " + count + "/" + connections + ": " + out);
        Map<String, String> fields = new HashMap<>();
        for (String pair : out.lines().findFirst().orElse("").split(" ")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                fields.put(kv[0], kv[1]);
            }
        }
        return fields;
    }

    /** p50 and p99 of {@code count} in-process classify calls (ms) from {@code threads} threads. */
    private static double[] inProcess(RnnModel model, List<double[][]> sequences, int count, int threads) throws Exception {
        long[] took = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    long start = System.nanoTime();
                    model.classify(sequences.get(i % sequences.size()));
                    took[i] = System.nanoTime() - start;
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return new double[]{Percentiles.of(took, 50) / 1e6, Percentiles.of(took, 99) / 1e6};
    }

    /** Heap in use right after a full collection: the sum of every heap pool's usage after the last GC. */
    /**
     * The heap in use after a full collection, the least of three: a test JVM runs other classes before this one,
     * and what their leftover threads allocate between two collections is not the server's.
     */
    private static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(200);
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    used += pool.getCollectionUsage().getUsed();
                }
            }
            least = Math.min(least, used);
        }
        return least;
    }
}
