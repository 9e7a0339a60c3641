package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.serve.ModelServer;
import io.rnnkit.serve.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "serve", description = {"Serve saved models over HTTP/JSON until stopped (Ctrl-C or SIGTERM finishes the requests in flight).",
        "Endpoints: /v1/models, /v1/models/NAME, /v1/models/NAME:predict, /v1/models/NAME/sessions, /health, /metrics,"
                + " /openapi.json (their description)."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "NAME=FILE",
            description = "A bundle to serve under NAME (letters, digits, . _ -), such as quickstart=runs/quickstart/model.zip; repeatable.")
    List<String> models;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 exposes the server).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--threads", paramLabel = "N", description = "Model requests computed at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N",
            description = "Model requests waiting for a thread at most; more are answered 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body", defaultValue = "4194304", paramLabel = "BYTES",
            description = "Largest request body; larger ones are answered 413 (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--session-idle", defaultValue = "300", paramLabel = "SECONDS",
            description = "A streaming session unused this long is closed (default: ${DEFAULT-VALUE}).")
    double sessionIdle;

    @Option(names = "--max-sessions", defaultValue = "1024", paramLabel = "N",
            description = "Streaming sessions open at once at most (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A name accepted in the Host header besides the listening address (and localhost when on loopback); repeatable.")
    List<String> allowedHosts = List.of();

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        if (threads != null && threads < 1 || queue < 0 || maxBody < 1 || !(sessionIdle > 0) || maxSessions < 0 || port < 0 || port > 65535) {
            throw new BadInputException("--threads, --max-body and --session-idle must be positive, --queue and --max-sessions at least 0,"
                    + " --port from 0 to 65535");
        }
        Map<String, RnnModel> loaded = new LinkedHashMap<>();
        for (String spec : models) {
            int eq = spec.indexOf('=');
            if (eq < 1 || eq == spec.length() - 1) {
                throw new BadInputException("--model " + spec + ": expected NAME=FILE, such as quickstart=runs/quickstart/model.zip");
            }
            String name = spec.substring(0, eq);
            if (loaded.put(name, RnnModel.load(Path.of(spec.substring(eq + 1)))) != null) {
                throw new BadInputException("--model " + spec + ": the name '" + name + "' is given twice");
            }
        }
        ServerOptions options = new ServerOptions(host, port, threads == null ? Runtime.getRuntime().availableProcessors() : threads, queue,
                maxBody, Duration.ofMillis(Math.round(sessionIdle * 1000)), maxSessions, allowedHosts, Duration.ofSeconds(30));
        ModelServer server;
        try {
            server = ModelServer.start(loaded, options);
        } catch (IOException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        // SIGTERM and Ctrl-C run the shutdown hooks: finish the requests in flight before the JVM exits
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("rnnkit serve: shutting down, finishing requests in flight");
            server.close();
            System.out.println("rnnkit serve: stopped");
        }, "rnnkit-serve-shutdown"));
        System.out.println("rnnkit serve: " + String.join(", ", loaded.keySet()) + " on " + server.uri() + " (API: " + server.uri()
                + "/openapi.json)");
        System.out.flush();
        server.awaitClosed();
        return 0;
    }
}
