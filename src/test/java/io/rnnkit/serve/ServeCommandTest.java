package io.rnnkit.serve;

import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnnkit serve}: its arguments, and a server process that finishes the request in flight on SIGTERM. */
class ServeCommandTest {
    @Test
    void badArgumentsExit2WithOneMessage() {
        CliTest.Outcome noName = CliTest.rnnkit("serve", "--model", "model.zip");
        assertEquals(2, noName.code());
        assertTrue(noName.err().contains("--model model.zip: expected NAME=FILE"), noName.err());
        CliTest.Outcome missing = CliTest.rnnkit("serve", "--model", "a=does-not-exist.zip");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does-not-exist.zip"), missing.err());
        CliTest.Outcome name = CliTest.rnnkit("serve", "--model", "a b=" + TrainedModels.classifier().bundle());
        assertEquals(2, name.code());
        assertTrue(name.err().contains("model name 'a b': use letters, digits"), name.err());
        assertEquals(2, CliTest.rnnkit("serve", "--model", "a=x.zip", "--queue", "-1").code());
    }

    @Test
    @Tag("packaged")
    void sigtermFinishesTheRequestInFlightThenExits() throws Exception {
        Path bundle = TrainedModels.forecaster().bundle();
        String classPath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/runtime-classpath.txt")).strip();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", classPath, "io.rnnkit.cli.Main",
                "serve", "--model", "forecaster=" + bundle, "--port", "0", "--threads", "1").redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            while (first != null && !first.startsWith("rnnkit serve:")) {
                first = out.readLine(); // the incubator module's warning
            }
            Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+) ").matcher(String.valueOf(first));
            assertTrue(m.find(), "the start line: " + first);
            URI base = URI.create(m.group(1));
            String history = "[" + String.join(",", java.util.Collections.nCopies(8, "[20.0]")) + "]";
            HttpRequest slow = HttpRequest.newBuilder(URI.create(base + "/v1/models/forecaster:predict")).timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\": " + history + ", \"horizon\": " + ServedTask.MAX_STEPS + "}")).build();
            CompletableFuture<HttpResponse<String>> inFlight = ModelServerTest.CLIENT.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
            HttpRequest metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).build();
            while (!ModelServerTest.CLIENT.send(metrics, HttpResponse.BodyHandlers.ofString()).body().contains("rnnkit_requests_running 1\n")) {
                Thread.sleep(5);
            }
            // SIGTERM by kill(1): Process.destroy() sends it too, but closes our end of the server's output first
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
            HttpResponse<String> finished = inFlight.get(2, TimeUnit.MINUTES);
            assertEquals(200, finished.statusCode(), finished.body());
            assertTrue(finished.body().startsWith("{\"model\":\"forecaster\",\"task\":\"forecast\",\"output\":["), finished.body());
            assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the server exits after the request");
            List<String> rest = out.lines().toList();
            assertEquals(List.of("rnnkit serve: shutting down, finishing requests in flight", "rnnkit serve: stopped"), rest);
            assertEquals(143, process.exitValue(), "128 + SIGTERM");
        } finally {
            process.destroyForcibly();
        }
    }
}
