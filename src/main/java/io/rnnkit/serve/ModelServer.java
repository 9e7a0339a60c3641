package io.rnnkit.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rnnkit.BadInputException;
import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.RnnModel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Serves loaded models over HTTP/JSON on the JDK's own HTTP server ({@code com.sun.net.httpserver}, module
 * {@code jdk.httpserver}): no dependency beyond the JDK and Jackson, which the bundle reads with anyway.
 *
 * <p>Endpoints ({@code /openapi.json} describes them): {@code GET /health}, {@code GET /metrics} (Prometheus),
 * {@code GET /v1/models}, {@code GET /v1/models/{name}}, {@code POST /v1/models/{name}:predict},
 * {@code POST /v1/models/{name}/sessions}, {@code POST /v1/models/{name}/sessions/{id}:step},
 * {@code DELETE /v1/models/{name}/sessions/{id}}.
 *
 * <p>Requests are read and checked (Host, size, route, JSON) on the HTTP threads; model work runs on a pool of
 * {@link ServerOptions#threads} threads behind a queue of {@link ServerOptions#queue}, and a request that
 * finds the queue full is answered 503 at once, so a flood costs the server little. {@link #close} stops
 * taking model work, finishes what is running or queued, then stops listening.
 */
public final class ModelServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    static {
        // TCP_NODELAY on the server's connections (read once, when the JDK's server classes load): without it an answer's
        // headers and body, written apart, wait out the client's delayed ACK, ~40 ms a request on Linux (measured 44 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // a client has 60 s to send its request, headers and body (unbounded by default): a slow sender would otherwise
        // hold one of the few HTTP threads for ever. The time a model takes to answer does not count.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "60");
        }
    }

    /** A served model: its name in URLs, the model, and what {@code :predict} does with it. */
    private record Served(String name, RnnModel model, ServedTask task) {
    }

    private final Map<String, Served> models = new LinkedHashMap<>();
    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ThreadPoolExecutor compute;
    private final ScheduledExecutorService sweeper;
    private final Sessions sessions;
    private final Metrics metrics = new Metrics();
    private final Set<String> allowedHosts;
    private final byte[] openApi;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean draining;

    private ModelServer(Map<String, RnnModel> loaded, ServerOptions options) throws IOException {
        if (loaded.isEmpty()) {
            throw new BadInputException("no model to serve");
        }
        for (Map.Entry<String, RnnModel> e : loaded.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new BadInputException("model name '" + e.getKey() + "': use letters, digits, '.', '_' and '-' only (it is part of URLs)");
            }
            models.put(e.getKey(), new Served(e.getKey(), e.getValue(), ServedTask.of(e.getValue())));
        }
        this.options = options;
        this.sessions = new Sessions(options.maxSessions(), options.sessionIdle().toNanos(), System::nanoTime);
        this.compute = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
                options.queue() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(options.queue()),
                threads("rnnkit-serve-model"), new ThreadPoolExecutor.AbortPolicy());
        this.httpThreads = Executors.newFixedThreadPool(Math.max(4, 2 * options.threads()), threads("rnnkit-serve-http"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(threads("rnnkit-serve-sessions"));
        long period = Math.max(50, Math.min(30_000, options.sessionIdle().toMillis() / 2));
        sweeper.scheduleWithFixedDelay(sessions::expire, period, period, TimeUnit.MILLISECONDS);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()), 128);
        this.allowedHosts = allowedHosts(http.getAddress(), options);
        this.openApi = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(OpenApi.describe(models.keySet()));
        http.setExecutor(httpThreads);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Starts serving the models under their names (letters, digits, {@code . _ -}).
     *
     * @throws IOException the address cannot be bound
     */
    public static ModelServer start(Map<String, RnnModel> models, ServerOptions options) throws IOException {
        return new ModelServer(models, options);
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port}, with the bound port. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /**
     * Graceful shutdown: model requests arriving from now on are answered 503; those running or queued are
     * finished (for up to {@link ServerOptions#shutdownGrace}); then the server stops listening.
     */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        draining = true;
        compute.shutdown();
        try {
            if (!compute.awaitTermination(options.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "requests still running after " + options.shutdownGrace() + "; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(1);
        httpThreads.shutdown();
        sweeper.shutdownNow();
        closed.countDown();
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One HTTP exchange, from the Host check to the answer (here, or on a model thread for model work). */
    private void handle(HttpExchange exchange) {
        Request request = new Request(exchange, System.nanoTime());
        try {
            checkHost(exchange);
            route(request);
        } catch (HttpFault fault) {
            request.fail(fault);
        } catch (RuntimeException | IOException e) {
            request.internalError(e);
        }
    }

    private void route(Request request) throws IOException {
        String path = request.exchange.getRequestURI().getRawPath();
        switch (path) {
            case "/health" -> {
                request.endpoint = "health";
                request.requireMethod("GET");
                ObjectNode body = JsonInputs.NODES.objectNode().put("status", draining ? "shutting down" : "ok").put("models", models.size());
                request.send(draining ? 503 : 200, body);
            }
            case "/metrics" -> {
                request.endpoint = "metrics";
                request.requireMethod("GET");
                Map<String, Long> open = new LinkedHashMap<>();
                for (String name : models.keySet()) {
                    open.put(name, sessions.openFor(name));
                }
                String text = metrics.render(open, compute.getQueue().size(), compute.getActiveCount(), sessions.expiredTotal());
                request.send(200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
            }
            case "/openapi.json" -> {
                request.endpoint = "openapi";
                request.requireMethod("GET");
                request.send(200, "application/json", openApi);
            }
            case "/v1/models" -> {
                request.endpoint = "models";
                request.requireMethod("GET");
                ArrayNode list = JsonInputs.NODES.arrayNode();
                models.values().forEach(m -> list.add(summary(m)));
                request.send(200, JsonInputs.NODES.objectNode().set("models", list));
            }
            default -> {
                if (!path.startsWith("/v1/models/")) {
                    throw HttpFault.notFound("no endpoint " + path + "; see /openapi.json");
                }
                routeModel(request, path.substring("/v1/models/".length()).split("/", -1));
            }
        }
    }

    /** {@code name}, {@code name:predict}, {@code name/sessions}, {@code name/sessions/id}, {@code name/sessions/id:step}. */
    private void routeModel(Request request, String[] parts) throws IOException {
        boolean predict = parts.length == 1 && parts[0].endsWith(":predict");
        Served served = models.get(predict ? parts[0].substring(0, parts[0].length() - ":predict".length()) : parts[0]);
        if (served == null) {
            throw HttpFault.notFound("no model '" + (predict ? parts[0].substring(0, parts[0].length() - 8) : parts[0])
                    + "'; this server serves " + models.keySet());
        }
        request.model = served.name();
        if (parts.length == 1) {
            request.endpoint = predict ? "predict" : "model";
            request.requireMethod(predict ? "POST" : "GET");
            if (predict) {
                ObjectNode body = request.jsonBody();
                submit(request, () -> predict(served, body));
            } else {
                request.send(200, details(served));
            }
            return;
        }
        if (!parts[1].equals("sessions") || parts.length > 3) {
            throw HttpFault.notFound("no endpoint " + request.exchange.getRequestURI().getRawPath() + "; see /openapi.json");
        }
        if (parts.length == 2) {
            request.endpoint = "session-open";
            request.requireMethod("POST");
            openSession(request, served);
            return;
        }
        boolean step = parts[2].endsWith(":step");
        String id = step ? parts[2].substring(0, parts[2].length() - ":step".length()) : parts[2];
        request.endpoint = step ? "session-step" : "session-close";
        request.requireMethod(step ? "POST" : "DELETE");
        if (step) {
            ObjectNode body = request.jsonBody();
            Sessions.Session session = session(served, id);
            submit(request, () -> step(served, session, body));
        } else if (sessions.close(served.name(), id)) {
            request.send(204, "application/json", new byte[0]);
        } else {
            throw HttpFault.notFound("no open session '" + id + "' of model '" + served.name() + "' (closed, expired or never opened)");
        }
    }

    /** Runs model work on the model pool, answering from there; a full queue (or a shutdown) is 503 now. */
    private void submit(Request request, java.util.function.Supplier<ObjectNode> work) {
        if (draining) {
            throw unavailable("the server is shutting down");
        }
        try {
            compute.execute(() -> {
                try {
                    request.send(200, work.get());
                } catch (HttpFault fault) {
                    request.fail(fault);
                } catch (RuntimeException e) {
                    request.internalError(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw unavailable(draining ? "the server is shutting down" : "the server is busy: " + options.threads() + " requests running and "
                    + options.queue() + " waiting; retry later");
        }
    }

    private static HttpFault unavailable(String message) {
        return new HttpFault(503, null, message);
    }

    private ObjectNode predict(Served served, ObjectNode body) {
        ServedTask task = served.task();
        Set<String> allowed = new HashSet<>(task.parameters());
        allowed.add("input");
        allowed.add("inputs");
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw HttpFault.badRequest(field, "unknown field for a " + task.id() + " model; it takes input or inputs"
                        + (task.parameters().isEmpty() ? "" : " and " + String.join(", ", task.parameters().stream().sorted().toList())));
            }
        }
        boolean single = body.has("input");
        if (single == body.has("inputs")) {
            throw HttpFault.badRequest(single ? "inputs" : "input", "give either input (one " + task.inputKind()
                    + ") or inputs (a list of them), not " + (single ? "both" : "neither"));
        }
        List<JsonNode> inputs = new ArrayList<>();
        if (single) {
            inputs.add(body.get("input"));
        } else {
            JsonNode list = body.get("inputs");
            if (!list.isArray() || list.isEmpty()) {
                throw HttpFault.badRequest("inputs", "expected a non-empty array of inputs (each a " + task.inputKind() + ")");
            }
            list.forEach(inputs::add);
        }
        ServedTask.Fields fields = new ServedTask.Fields(single);
        List<JsonNode> outputs;
        try {
            outputs = task.run(served.model(), inputs, fields, body);
        } catch (ModelInputException e) {
            throw HttpFault.badRequest(fields.ofSequence(e.sequenceIndex()), e.detail());
        } catch (BadInputException e) {
            throw HttpFault.badRequest(null, e.getMessage());
        }
        ObjectNode answer = JsonInputs.NODES.objectNode().put("model", served.name()).put("task", task.id());
        if (single) {
            answer.set("output", outputs.get(0));
        } else {
            answer.set("outputs", JsonInputs.NODES.arrayNode().addAll(outputs));
        }
        return answer;
    }

    private void openSession(Request request, Served served) throws IOException {
        request.readBody(); // any body is read (and size-checked) but carries nothing
        if (!served.task().streams(served.model())) {
            throw HttpFault.badRequest(null, "model '" + served.name() + "' (" + served.task().id() + (served.model().canStream()
                    ? ") does not read numeric steps" : ") has a bidirectional layer, which needs whole sequences") + ": no sessions; use :predict");
        }
        if (draining) {
            throw unavailable("the server is shutting down");
        }
        Sessions.Session session = sessions.open(served.name(), served.model().openStream());
        if (session == null) {
            HttpFault full = unavailable(options.maxSessions() + " sessions are open, the most this server keeps; close one or retry later");
            throw full;
        }
        request.exchange.getResponseHeaders().set("Location", "/v1/models/" + served.name() + "/sessions/" + session.id);
        request.send(201, JsonInputs.NODES.objectNode().put("id", session.id).put("model", served.name())
                .put("idleTimeoutSeconds", options.sessionIdle().toMillis() / 1000.0));
    }

    private Sessions.Session session(Served served, String id) {
        Sessions.Session session = sessions.use(served.name(), id);
        if (session == null) {
            throw HttpFault.notFound("no open session '" + id + "' of model '" + served.name() + "' (closed, expired or never opened)");
        }
        return session;
    }

    private ObjectNode step(Served served, Sessions.Session session, ObjectNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("values")) {
                throw HttpFault.badRequest(field, "unknown field; a step takes values (one number per feature)");
            }
        }
        double[] values = JsonInputs.vector(body.get("values"), "values");
        double[] output;
        int steps;
        try {
            synchronized (session.stream) { // the step and its count, together
                output = session.stream.step(values);
                steps = session.stream.steps();
            }
        } catch (ModelInputException e) {
            throw HttpFault.badRequest("values", e.detail());
        }
        session.lastUsed = System.nanoTime();
        ObjectNode answer = JsonInputs.NODES.objectNode().put("session", session.id).put("steps", steps);
        answer.set("output", ServedTask.stepOutput(served.model().contract(), output));
        return answer;
    }

    private ObjectNode summary(Served served) {
        return JsonInputs.NODES.objectNode().put("name", served.name()).put("task", served.task().id())
                .put("input", served.task().inputKind())
                .<ObjectNode>set("parameters", JSON.valueToTree(served.task().parameters().stream().sorted().toList()))
                .put("sessions", served.task().streams(served.model()))
                .put("experiment", served.model().provenance().experiment());
    }

    private ObjectNode details(Served served) {
        ObjectNode out = summary(served);
        out.set("contract", JSON.valueToTree(served.model().contract()));
        out.set("provenance", JSON.valueToTree(served.model().provenance()));
        out.put("formatVersion", served.model().formatVersion());
        return out;
    }

    /**
     * Names a request's {@code Host} may carry: the bound address, the names given, and, bound to loopback, the
     * loopback names; bound to a wildcard with no names given, any (the operator chose to expose the server).
     * Checking it keeps a web page from reaching a loopback server through a name of its own (DNS rebinding).
     */
    private static Set<String> allowedHosts(InetSocketAddress bound, ServerOptions options) {
        if (bound.getAddress().isAnyLocalAddress() && options.allowedHosts().isEmpty()) {
            return null;
        }
        Set<String> names = new HashSet<>();
        String literal = bound.getAddress().getHostAddress();
        names.add(literal.contains(":") ? "[" + literal + "]" : literal);
        names.add(options.host().toLowerCase(Locale.ROOT));
        if (bound.getAddress().isLoopbackAddress()) {
            names.addAll(LOOPBACK_NAMES);
        }
        options.allowedHosts().forEach(h -> names.add(h.toLowerCase(Locale.ROOT)));
        return names;
    }

    private void checkHost(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || host.isBlank()) {
            throw HttpFault.badRequest(null, "the request has no Host header");
        }
        if (allowedHosts == null) {
            return;
        }
        host = host.strip().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        String name = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
        String port = colon > host.lastIndexOf(']') ? host.substring(colon + 1) : null;
        // a name given with --allowed-host may come with any port (a proxy's or a container's mapping); the others with ours
        boolean given = options.allowedHosts().stream().anyMatch(name::equalsIgnoreCase);
        if (!allowedHosts.contains(name) || !given && port != null && !port.equals(Integer.toString(address().getPort()))) {
            throw new HttpFault(421, null, "this server does not answer for host '" + host + "'; it is served at " + uri().getAuthority()
                    + (options.allowedHosts().isEmpty() ? "" : " and " + options.allowedHosts()));
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One exchange's state: its endpoint and model for the metrics, its body, and its one answer. */
    private final class Request {
        final HttpExchange exchange;
        final long started;
        String endpoint = "other";
        String model = "";

        Request(HttpExchange exchange, long started) {
            this.exchange = exchange;
            this.started = started;
        }

        void requireMethod(String method) {
            if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                throw new HttpFault(405, null, exchange.getRequestMethod() + " is not allowed here; use " + method);
            }
        }

        /** The body, at most {@link ServerOptions#maxBodyBytes} (413 beyond, found from Content-Length or while reading). */
        byte[] readBody() throws IOException {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            long limit = options.maxBodyBytes();
            if (declared != null) {
                try {
                    if (Long.parseLong(declared.strip()) > limit) {
                        throw tooLarge();
                    }
                } catch (NumberFormatException e) {
                    throw HttpFault.badRequest(null, "Content-Length is not a number: " + declared);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (InputStream in = exchange.getRequestBody()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    if (out.size() > limit) {
                        throw tooLarge();
                    }
                }
            }
            return out.toByteArray();
        }

        /**
         * 413, after reading what is left of the body (up to a bound) unread: a server that closes a connection
         * with unread data in it sends a TCP reset, which can destroy its answer before the client reads it.
         */
        private HttpFault tooLarge() {
            exchange.getResponseHeaders().set("Connection", "close");
            try {
                InputStream in = exchange.getRequestBody();
                byte[] buffer = new byte[8192];
                for (long left = 8 * options.maxBodyBytes() + (1 << 20); left > 0; ) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    left -= n;
                }
            } catch (IOException e) {
                // the client gave up sending: nothing to answer to
            }
            return new HttpFault(413, null, "the request body is larger than " + options.maxBodyBytes() + " bytes, the most this server takes");
        }

        ObjectNode jsonBody() throws IOException {
            byte[] bytes = readBody();
            JsonNode node;
            try {
                node = bytes.length == 0 ? null : JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw HttpFault.badRequest(null, "the body is not JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")");
            }
            if (node == null || !node.isObject()) {
                throw HttpFault.badRequest(null, "the body must be a JSON object");
            }
            return (ObjectNode) node;
        }

        void send(int status, ObjectNode body) {
            try {
                send(status, "application/json", JSON.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                internalError(e);
            }
        }

        void fail(HttpFault fault) {
            metrics.error(model, endpoint, fault.status() == 503 ? "rejected" : "http-" + fault.status());
            if (fault.status() == 503) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            ObjectNode body = JsonInputs.NODES.objectNode().put("error", fault.getMessage());
            if (fault.field() != null) {
                body.put("field", fault.field());
            }
            send(fault.status(), body);
        }

        void internalError(Exception e) {
            LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestURI() + " failed", e);
            metrics.error(model, endpoint, "internal");
            try {
                send(500, "application/json", JSON.writeValueAsBytes(JsonInputs.NODES.objectNode().put("error", "internal error: " + e)));
            } catch (JsonProcessingException impossible) {
                exchange.close();
            }
        }

        void send(int status, String contentType, byte[] body) {
            try {
                if (draining) {
                    exchange.getResponseHeaders().set("Connection", "close");
                }
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not answer " + exchange.getRequestURI() + ": " + e);
            } finally {
                exchange.close();
                metrics.request(model, endpoint, status, (System.nanoTime() - started) / 1e9);
            }
        }
    }
}
