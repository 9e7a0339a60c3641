package io.rnnkit.serve;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, written in Prometheus' text exposition format (version 0.0.4): requests by model,
 * endpoint and status, a latency histogram by model and endpoint, errors by kind, and gauges the server
 * supplies at scrape time (open sessions, queue, heap).
 */
final class Metrics {
    /** Upper bounds of the latency buckets, seconds. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record Key(String model, String endpoint, String extra) {
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Key, Histogram> latency = new ConcurrentHashMap<>();

    /** One answered request; {@code model} is "" for endpoints of no model. */
    void request(String model, String endpoint, int status, double seconds) {
        requests.computeIfAbsent(new Key(model, endpoint, Integer.toString(status)), k -> new LongAdder()).increment();
        latency.computeIfAbsent(new Key(model, endpoint, ""), k -> new Histogram()).observe(seconds);
    }

    /** A request that failed, by the kind of fault ({@code FeatureCountException}, {@code rejected}, {@code internal}). */
    void error(String model, String endpoint, String kind) {
        errors.computeIfAbsent(new Key(model, endpoint, kind), k -> new LongAdder()).increment();
    }

    /** The text exposition, with the gauges given (name → help, value lines already labelled). */
    String render(Map<String, Long> openSessions, int queued, int running, long expiredSessions) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP rnnkit_requests_total HTTP requests answered, by model, endpoint and status.\n")
                .append("# TYPE rnnkit_requests_total counter\n");
        for (Map.Entry<Key, LongAdder> e : sorted(requests).entrySet()) {
            out.append("rnnkit_requests_total{").append(labels(e.getKey())).append(",status=\"").append(e.getKey().extra())
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        out.append("# HELP rnnkit_request_errors_total Requests that failed, by the kind of fault.\n")
                .append("# TYPE rnnkit_request_errors_total counter\n");
        for (Map.Entry<Key, LongAdder> e : sorted(errors).entrySet()) {
            out.append("rnnkit_request_errors_total{").append(labels(e.getKey())).append(",error=\"").append(e.getKey().extra())
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        out.append("# HELP rnnkit_request_duration_seconds Time from reading a request to its answer, by model and endpoint.\n")
                .append("# TYPE rnnkit_request_duration_seconds histogram\n");
        for (Map.Entry<Key, Histogram> e : sorted(latency).entrySet()) {
            String labels = labels(e.getKey());
            Histogram h = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                out.append("rnnkit_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(number(BUCKETS[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            out.append("rnnkit_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ").append(h.count.sum()).append('\n');
            out.append("rnnkit_request_duration_seconds_sum{").append(labels).append("} ").append(number(h.sum.sum())).append('\n');
            out.append("rnnkit_request_duration_seconds_count{").append(labels).append("} ").append(h.count.sum()).append('\n');
        }
        out.append("# HELP rnnkit_sessions_open Streaming sessions open, by model.\n# TYPE rnnkit_sessions_open gauge\n");
        for (Map.Entry<String, Long> e : new TreeMap<>(openSessions).entrySet()) {
            out.append("rnnkit_sessions_open{model=\"").append(escape(e.getKey())).append("\"} ").append(e.getValue()).append('\n');
        }
        gauge(out, "rnnkit_sessions_expired_total", "counter", "Sessions closed for being idle too long.", expiredSessions);
        gauge(out, "rnnkit_requests_running", "gauge", "Model requests being computed.", running);
        gauge(out, "rnnkit_requests_queued", "gauge", "Model requests waiting for a thread.", queued);
        gauge(out, "jvm_memory_heap_used_bytes", "gauge", "Java heap in use (not only live objects: garbage until the next GC).",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    private static <V> Map<Key, V> sorted(Map<Key, V> map) {
        Map<Key, V> out = new TreeMap<>((a, b) -> (a.model + '\0' + a.endpoint + '\0' + a.extra).compareTo(b.model + '\0' + b.endpoint + '\0' + b.extra));
        out.putAll(map);
        return out;
    }

    private static String labels(Key key) {
        return "model=\"" + escape(key.model()) + "\",endpoint=\"" + key.endpoint() + "\"";
    }

    /** A label value: backslash, quote and newline escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString(); // 0.0005, not 5.0E-4
    }
}
