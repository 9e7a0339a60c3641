package io.rnnkit.serve;

import io.rnnkit.bench.Percentiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load client run in its own JVM by {@link ServerLoadTest}, on the JDK's HTTP client alone, so that the
 * server's figures are not the client's: {@code CONNECTIONS} threads each send requests one after another.
 *
 * <pre>
 * predict  BASE_URL MODEL REQUESTS CONNECTIONS BODIES_FILE   POST :predict, the bodies (one JSON a line) in turn
 * sessions BASE_URL MODEL SESSIONS CONNECTIONS STEPS_FILE    open a session, POST each step ({"values": …} a line), close it
 * </pre>
 *
 * Prints one line: {@code requests=… exceptions=… status200=… status503=… missingRetryAfter=… p50ms=… p99ms=… seconds=…}.
 */
public final class LoadClient {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]+)\"");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder exceptions = new LongAdder();
    private final LongAdder missingRetryAfter = new LongAdder();
    private final List<long[]> latencies = new ArrayList<>();
    private String firstProblem;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI base = URI.create(args[1]);
        String model = args[2];
        int count = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        List<String> lines = Files.readAllLines(Path.of(args[5]));
        LoadClient load = new LoadClient();
        long start = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(connections);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] mine = new long[mode.equals("predict") ? count : count * lines.size() + 2 * count];
            synchronized (load.latencies) {
                load.latencies.add(mine);
            }
            done.add(threads.submit(() -> {
                int n = 0;
                for (int i; (i = next.getAndIncrement()) < count; ) {
                    if (mode.equals("predict")) {
                        mine[n++] = load.send(URI.create(base + "/v1/models/" + model + ":predict"), "POST", lines.get(i % lines.size()), null);
                    } else {
                        n = load.session(base, model, lines, mine, n);
                    }
                }
                Arrays.fill(mine, n, mine.length, -1);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = load.latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v >= 0).sorted().toArray();
        Map<Integer, Long> byStatus = new TreeMap<>();
        load.statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "requests=%d exceptions=%d", all.length, load.exceptions.sum()));
        byStatus.forEach((k, v) -> out.append(" status").append(k).append('=').append(v));
        out.append(String.format(Locale.ROOT, " missingRetryAfter=%d p50ms=%.3f p99ms=%.3f seconds=%.2f", load.missingRetryAfter.sum(),
                Percentiles.of(all, 50) / 1e6, Percentiles.of(all, 99) / 1e6, seconds));
        System.out.println(out);
        if (load.firstProblem != null) {
            System.out.println("first problem: " + load.firstProblem);
        }
    }

    /** Open, step through every line, close: returns the new count of latencies in {@code into}. */
    private int session(URI base, String model, List<String> steps, long[] into, int n) {
        String[] id = new String[1];
        into[n++] = send(URI.create(base + "/v1/models/" + model + "/sessions"), "POST", "", body -> {
            Matcher m = ID.matcher(body);
            id[0] = m.find() ? m.group(1) : null;
        });
        if (id[0] == null) {
            return n;
        }
        for (String step : steps) {
            into[n++] = send(URI.create(base + "/v1/models/" + model + "/sessions/" + id[0] + ":step"), "POST", step, null);
        }
        into[n++] = send(URI.create(base + "/v1/models/" + model + "/sessions/" + id[0]), "DELETE", null, null);
        return n;
    }

    /** One request: its latency in nanoseconds, its status counted (an exception counted instead). */
    private long send(URI uri, String method, String body, java.util.function.Consumer<String> reader) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            statuses.computeIfAbsent(response.statusCode(), k -> new LongAdder()).increment();
            if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                missingRetryAfter.increment();
            }
            if (response.statusCode() != 200 && response.statusCode() != 201 && response.statusCode() != 204
                    && response.statusCode() != 503 && firstProblem == null) {
                firstProblem = response.statusCode() + " " + response.body();
            }
            if (reader != null) {
                reader.accept(response.body());
            }
            return took;
        } catch (Exception e) {
            exceptions.increment();
            if (firstProblem == null) {
                firstProblem = e.toString();
            }
            return System.nanoTime() - start;
        }
    }
}
