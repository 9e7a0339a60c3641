package io.rnnkit.serve;

import java.time.Duration;
import java.util.List;

/**
 * How {@link ModelServer} listens and what it admits.
 *
 * @param host          address to bind: a loopback address by default; a wildcard ({@code 0.0.0.0}) exposes the server
 * @param port          TCP port; 0 picks a free one
 * @param threads       model requests computed at once
 * @param queue         model requests waiting for a thread at most; beyond, 503 with {@code Retry-After}
 * @param maxBodyBytes  largest request body; beyond, 413
 * @param sessionIdle   a streaming session unused this long is closed
 * @param maxSessions   streaming sessions open at once at most; beyond, 503
 * @param allowedHosts  names accepted in the {@code Host} header besides the bound address (and loopback names when
 *                      bound to loopback), such as the name of a reverse proxy's upstream
 * @param shutdownGrace how long a shutdown waits for requests in flight
 */
public record ServerOptions(String host, int port, int threads, int queue, long maxBodyBytes, Duration sessionIdle, int maxSessions,
                            List<String> allowedHosts, Duration shutdownGrace) {
    public ServerOptions {
        allowedHosts = List.copyOf(allowedHosts);
        if (threads < 1 || queue < 0 || maxBodyBytes < 1 || maxSessions < 0 || port < 0 || port > 65535
                || sessionIdle.isNegative() || sessionIdle.isZero()) {
            throw new IllegalArgumentException("invalid server options: " + this);
        }
    }

    /** Loopback, the given port, one thread per core, a queue of 64, bodies up to 4 MiB, sessions idle 5 minutes, 1024 sessions. */
    public static ServerOptions defaults(int port) {
        return new ServerOptions("127.0.0.1", port, Runtime.getRuntime().availableProcessors(), 64, 4 << 20, Duration.ofMinutes(5),
                1024, List.of(), Duration.ofSeconds(30));
    }

    public ServerOptions withThreads(int threads, int queue) {
        return new ServerOptions(host, port, threads, queue, maxBodyBytes, sessionIdle, maxSessions, allowedHosts, shutdownGrace);
    }

    public ServerOptions withMaxBodyBytes(long maxBodyBytes) {
        return new ServerOptions(host, port, threads, queue, maxBodyBytes, sessionIdle, maxSessions, allowedHosts, shutdownGrace);
    }

    public ServerOptions withSessions(Duration sessionIdle, int maxSessions) {
        return new ServerOptions(host, port, threads, queue, maxBodyBytes, sessionIdle, maxSessions, allowedHosts, shutdownGrace);
    }
}
