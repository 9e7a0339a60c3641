package io.rnnkit.train;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Deeplearning4j training UI for one run ({@code train --ui}): a {@link StatsListener} feeding an
 * in-memory stats storage shown by DL4J's Vert.x UI server.
 *
 * <p>Why not {@code UIServer.getInstance()}: in DL4J M2.1 {@code VertxUIServer.start} calls
 * {@code vertx.createHttpServer().listen(port)}, which binds every interface (0.0.0.0), and offers no host
 * setting (only the port, via {@code org.deeplearning4j.ui.port}). A training UI should not be reachable from
 * the network unless asked, so rnnkit deploys the same verticle itself and hands it a {@link Vertx} whose
 * HTTP server listens on the requested host (loopback by default). Vert.x 3.9's {@code listen(port, handler)}
 * means {@code listen(port, "0.0.0.0", handler)} whatever the server options say, so the listen call itself is
 * redirected.
 */
public final class TrainingUi implements AutoCloseable {
    private static final String PORT_PROPERTY = "org.deeplearning4j.ui.port";
    private final Vertx vertx;
    private final VertxUIServer server;
    private final InMemoryStatsStorage storage = new InMemoryStatsStorage();
    private final String host;
    private final long startedFrom;
    private final long startedUntil;

    private TrainingUi(Vertx vertx, VertxUIServer server, String host, long startedFrom, long startedUntil) {
        this.vertx = vertx;
        this.server = server;
        this.host = host;
        this.startedFrom = startedFrom;
        this.startedUntil = startedUntil;
        server.attach(storage);
    }

    /** Starts the UI on {@code host:port} (port 0: any free port) and waits until it listens. */
    public static TrainingUi start(String host, int port) {
        Vertx vertx = Vertx.vertx();
        String previous = System.getProperty(PORT_PROPERTY);
        System.setProperty(PORT_PROPERTY, Integer.toString(port));
        long from = System.currentTimeMillis();
        try {
            VertxUIServer server = new BoundUiServer(host);
            CompletableFuture<String> deployed = new CompletableFuture<>();
            vertx.deployVerticle(server, done -> {
                if (done.succeeded()) {
                    deployed.complete(done.result());
                } else {
                    deployed.completeExceptionally(done.cause());
                }
            });
            deployed.get(60, TimeUnit.SECONDS);
            return new TrainingUi(vertx, server, host, from, System.currentTimeMillis());
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the training UI did not start on " + host + ":" + port + ": " + e.getMessage(), e);
        } finally {
            if (previous == null) {
                System.clearProperty(PORT_PROPERTY);
            } else {
                System.setProperty(PORT_PROPERTY, previous);
            }
        }
    }

    /**
     * The listener that reports a network's training to this UI, after every iteration: StatsListener's default
     * (every 10th, and never the first) shows nothing for short runs.
     */
    public TrainingListener listener() {
        return new StatsListener(storage, 1);
    }

    /** Where a browser finds the training overview. */
    public String address() {
        return address("/train/overview");
    }

    /** Where a browser finds a page of this server, such as Arbiter's {@code /arbiter}. */
    public String address(String page) {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + server.getPort() + page;
    }

    /** The storage the UI shows; other reporters (Arbiter's status listener) post to it too. */
    public StatsStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        server.detach(storage);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        vertx.close(done -> closed.complete(null));
        closed.orTimeout(30, TimeUnit.SECONDS).join();
        removeUploadsFolder();
    }

    /**
     * Removes the empty uploads folder DL4J's server made at start ({@code java.io.tmpdir/DL4JUI_<start millis>}; the
     * gate lets no upload into it). Only an empty folder named for a time within this server's start is removed, so
     * another process's is left alone.
     */
    private void removeUploadsFolder() {
        try (java.util.stream.Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path folder : entries.filter(p -> p.getFileName().toString().matches("DL4JUI_\\d{1,18}")).toList()) {
                long made = Long.parseLong(folder.getFileName().toString().substring("DL4JUI_".length()));
                if (made >= startedFrom && made <= startedUntil) {
                    deleteIfEmpty(folder);
                }
            }
        } catch (IOException ignored) {
            // an unreadable temporary directory: nothing of ours can be found there either
        }
    }

    private static void deleteIfEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // not empty, so not one this server kept empty; or gone already
        }
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // literals and localhost only: the check must not wait for, or be steered by, a DNS answer
        return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** DL4J's UI verticle, given a Vert.x whose HTTP servers listen on one host. */
    private static final class BoundUiServer extends VertxUIServer {
        private final String host;

        BoundUiServer(String host) {
            this.host = host;
        }

        @Override
        public void init(Vertx real, Context context) {
            VertxInternal internal = (VertxInternal) real;
            super.init(proxy(VertxInternal.class, internal, (method, args) -> method.getName().equals("createHttpServer") && args == null
                    ? bound(internal.createHttpServer()) : null), context);
        }

        /**
         * The server, except that {@code listen(port, handler)} — which Vert.x 3.9 implements as
         * {@code listen(port, "0.0.0.0", handler)} — listens on {@link #host}, and that DL4J's router gets requests
         * only through the {@link UiGate}.
         */
        @SuppressWarnings("unchecked")
        private HttpServer bound(HttpServer server) {
            return proxy(HttpServer.class, server, (method, args) -> {
                if (method.getName().equals("listen") && args != null && args.length == 2 && args[0] instanceof Integer port) {
                    return server.listen(port, host, (Handler<AsyncResult<HttpServer>>) args[1]);
                }
                if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                    return server.requestHandler(new UiGate((Handler<HttpServerRequest>) args[0], host, isLoopback(host)));
                }
                return null;
            });
        }
    }

    /** What a proxy does instead of delegating: a result, or null to delegate. */
    private interface Interception {
        Object apply(Method method, Object[] args);
    }

    /** A proxy of {@code target} that applies {@code override} first and returns itself where the target returns itself (fluent calls). */
    private static <T> T proxy(Class<T> type, T target, Interception override) {
        Object proxied = Proxy.newProxyInstance(TrainingUi.class.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            Object result = override.apply(method, args);
            if (result == null) {
                try {
                    result = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            return result == target ? proxy : result;
        });
        return type.cast(proxied);
    }
}
