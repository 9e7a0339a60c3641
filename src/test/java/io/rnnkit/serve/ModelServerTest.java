package io.rnnkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.ModelStream;
import io.rnnkit.bundle.RnnModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server over real HTTP on 127.0.0.1 (an ephemeral port), with the JDK's HTTP client: every endpoint, every
 * task of the test models, answers equal to the in-process {@link RnnModel} call for the same input, and the
 * faults (400 naming the field, 404, 405, 413, 421, 503).
 */
class ModelServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final Map<String, RnnModel> MODELS = new LinkedHashMap<>();
    static ModelServer server;

    @BeforeAll
    static void start() throws IOException {
        MODELS.put("classifier", RnnModel.load(TrainedModels.classifier().bundle()));
        MODELS.put("bidirectional", RnnModel.load(TrainedModels.bidirectionalClassifier().bundle()));
        MODELS.put("variable", RnnModel.load(TrainedModels.variableLengthClassifier().bundle()));
        MODELS.put("forecaster", RnnModel.load(TrainedModels.forecaster().bundle()));
        MODELS.put("two-columns", RnnModel.load(TrainedModels.twoColumnForecaster().bundle()));
        MODELS.put("translator", RnnModel.load(TrainedModels.translator().bundle()));
        MODELS.put("reviews", RnnModel.load(ServeModels.textClassifier()));
        MODELS.put("names", RnnModel.load(ServeModels.textGenerator()));
        MODELS.put("charts", RnnModel.load(ServeModels.vectorToSequence()));
        MODELS.put("shifts", RnnModel.load(ServeModels.perStepClassifier()));
        MODELS.put("ensemble", RnnModel.load(TrainedModels.ensembleClassifier().bundle()));
        server = ModelServer.start(MODELS, ServerOptions.defaults(0).withThreads(2, 8).withMaxBodyBytes(64 * 1024)
                .withSessions(Duration.ofMinutes(5), 3));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void modelsAreListedWithTheirTaskContractAndProvenance() throws Exception {
        JsonNode list = get(server, "/v1/models", 200).get("models");
        List<String> names = new ArrayList<>();
        Map<String, String> tasks = new LinkedHashMap<>();
        list.forEach(m -> {
            names.add(m.get("name").asText());
            tasks.put(m.get("name").asText(), m.get("task").asText());
        });
        assertEquals(List.copyOf(MODELS.keySet()), names);
        assertEquals("classify", tasks.remove("ensemble"), "an ensemble is served like any classifier");
        assertEquals(Map.of("classifier", "classify", "bidirectional", "classify", "variable", "classify", "forecaster", "forecast",
                "two-columns", "forecast", "translator", "translate", "reviews", "classify-text", "names", "generate-text",
                "charts", "generate-sequence", "shifts", "steps"), tasks);
        JsonNode details = get(server, "/v1/models/two-columns", 200);
        RnnModel model = MODELS.get("two-columns");
        assertEquals(model.contract().features(), details.get("contract").get("features").asInt());
        assertEquals(model.contract().featureNames(), JSON.convertValue(details.get("contract").get("featureNames"), List.class));
        assertEquals(model.contract().forecast().lookback(), details.get("contract").get("forecast").get("lookback").asInt());
        assertEquals(model.provenance().dataFingerprint(), details.get("provenance").get("dataFingerprint").asText());
        assertEquals(model.provenance().seed(), details.get("provenance").get("seed").asLong());
        assertEquals("[\"horizon\",\"intervals\"]", details.get("parameters").toString());
        assertTrue(details.get("sessions").asBoolean());
        assertFalse(get(server, "/v1/models/bidirectional", 200).get("sessions").asBoolean());
        assertFalse(get(server, "/v1/models/ensemble", 200).get("sessions").asBoolean(), "an ensemble answers whole sequences");
    }

    @Test
    void classificationsEqualTheInProcessCallsOneByOneAndInABatch() throws Exception {
        for (String name : List.of("classifier", "bidirectional", "variable", "ensemble")) {
            RnnModel model = MODELS.get(name);
            List<double[][]> sequences = testSequences(name);
            JsonNode batch = predict(name, body("inputs", JSON.valueToTree(sequences)), 200);
            assertEquals("classify", batch.get("task").asText());
            assertEquals(sequences.size(), batch.get("outputs").size());
            List<Classification> expected = model.classify(sequences); // a batch gives the bits of a batch (BLAS sums in another order)
            for (int i = 0; i < sequences.size(); i++) {
                assertClassification(expected.get(i), batch.get("outputs").get(i), name + " " + i);
            }
            JsonNode one = predict(name, body("input", JSON.valueToTree(sequences.get(0))), 200).get("output");
            assertClassification(model.classify(sequences.get(0)), one, name);
        }
    }

    @Test
    void forecastsTakeAHorizonAndEqualTheInProcessCalls() throws Exception {
        for (String name : List.of("forecaster", "two-columns")) {
            RnnModel model = MODELS.get(name);
            List<double[][]> histories = testSequences(name).subList(0, 3);
            int horizon = name.equals("forecaster") ? 5 : 2; // beyond the trained 2 only for one column (fed back)
            ObjectNode request = body("inputs", JSON.valueToTree(histories)).put("horizon", horizon);
            JsonNode out = predict(name, request, 200).get("outputs");
            List<double[]> expected = model.forecast(histories, horizon);
            for (int i = 0; i < histories.size(); i++) {
                assertArrayEquals(expected.get(i), JSON.treeToValue(out.get(i), double[].class), name);
            }
            JsonNode one = predict(name, body("input", JSON.valueToTree(histories.get(1))).put("horizon", horizon), 200).get("output");
            assertArrayEquals(model.forecast(histories.get(1), horizon), JSON.treeToValue(one, double[].class), name);
            JsonNode fallback = predict(name, body("input", JSON.valueToTree(histories.get(0))), 200).get("output");
            assertEquals(model.contract().forecast().horizon(), fallback.size(), "the trained horizon when none is asked");
        }
        JsonNode refused = predict("two-columns", body("input", JSON.valueToTree(testSequences("two-columns").get(0))).put("horizon", 3), 400);
        assertTrue(refused.get("error").asText().contains("ask for at most 2 steps"), refused.toString());
    }

    @Test
    void translationTakesABeamWidthAndEqualsTheInProcessCall() throws Exception {
        RnnModel model = MODELS.get("translator");
        List<String> sources = List.of("ab", "cba", "dcab");
        for (int beam : new int[]{1, 3}) {
            JsonNode out = predict("translator", body("inputs", JSON.valueToTree(sources)).put("beamWidth", beam), 200).get("outputs");
            assertEquals(model.translate(sources, beam), JSON.convertValue(out, List.class));
        }
        assertEquals(model.translate("abc"), predict("translator", body("input", JSON.getNodeFactory().textNode("abc")), 200).get("output").asText());
        assertEquals("input", predict("translator", body("input", JSON.getNodeFactory().textNode("abcdefg")), 400).get("field").asText());
        assertEquals("beamWidth", predict("translator", body("input", JSON.getNodeFactory().textNode("ab")).put("beamWidth", 0), 400)
                .get("field").asText());
    }

    @Test
    void textModelsClassifyAndGenerateAsInProcess() throws Exception {
        RnnModel reviews = MODELS.get("reviews");
        List<String> texts = List.of("The food was great", "the food was awful, very cold", "never seen words");
        JsonNode out = predict("reviews", body("inputs", JSON.valueToTree(texts)), 200).get("outputs");
        List<Classification> expected = reviews.classifyTexts(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertClassification(expected.get(i), out.get(i), texts.get(i));
        }
        RnnModel names = MODELS.get("names");
        ObjectNode request = body("inputs", JSON.valueToTree(List.of("ab", "", "f"))).put("length", 12).put("temperature", 0.7)
                .put("topK", 3).put("rngSeed", 42);
        JsonNode generated = predict("names", request, 200).get("outputs");
        assertEquals(List.of(names.generate("ab", 12, 0.7, 3, 42), names.generate("", 12, 0.7, 3, 42), names.generate("f", 12, 0.7, 3, 42)),
                JSON.convertValue(generated, List.class));
        assertEquals("temperature", predict("names", body("input", JSON.getNodeFactory().textNode("a")).put("temperature", 0), 400)
                .get("field").asText());
        JsonNode unknown = predict("names", body("input", JSON.getNodeFactory().textNode("az")), 400);
        assertEquals("input", unknown.get("field").asText());
        assertTrue(unknown.get("error").asText().contains("'z'"), unknown.toString());
    }

    @Test
    void aVectorToSequenceModelDrawsAsInProcess() throws Exception {
        RnnModel charts = MODELS.get("charts");
        double[] vector = testSequences("charts").get(0)[0];
        JsonNode out = predict("charts", body("input", JSON.valueToTree(vector)), 200).get("output");
        assertArrayEquals(charts.generate(vector), JSON.treeToValue(out, double[][].class));
        assertEquals("inputs[1]", predict("charts", body("inputs", JSON.valueToTree(List.of(vector, new double[]{1}))), 400)
                .get("field").asText());
    }

    @Test
    void aManyToManyModelAnswersAtEveryStepAsInProcess() throws Exception {
        RnnModel shifts = MODELS.get("shifts");
        double[][] sequence = testSequences("shifts").get(0);
        JsonNode steps = predict("shifts", body("input", JSON.valueToTree(sequence)), 200).get("output");
        List<Classification> expected = shifts.classifySteps(sequence);
        assertEquals(sequence.length, steps.size());
        for (int t = 0; t < sequence.length; t++) {
            assertClassification(expected.get(t), steps.get(t), "step " + t);
        }
        assertEquals("input", predict("shifts", body("input", JSON.valueToTree(new double[][]{sequence[0]})), 400).get("field").asText());
    }

    @Test
    void aBadFieldIsAnswered400NamingIt() throws Exception {
        double[][] good = testSequences("variable").get(0);
        ObjectNode twoValues = body("inputs", JSON.valueToTree(List.of(good, new double[][]{{1, 2}, {3}})));
        JsonNode fault = predict("variable", twoValues, 400);
        assertEquals("inputs[1]", fault.get("field").asText());
        assertEquals("step 1 has 1 value(s), but the model reads 2 per step [x1, x2]", fault.get("error").asText());

        ArrayNode notANumber = JSON.createArrayNode();
        notANumber.add(JSON.createArrayNode().add(1).add("x"));
        assertEquals("input[0][1]", predict("variable", body("input", notANumber), 400).get("field").asText());
        assertEquals("horizn", predict("forecaster", body("input", JSON.valueToTree(good)).put("horizn", 3), 400).get("field").asText());
        assertEquals("horizon", predict("forecaster", body("input", JSON.valueToTree(testSequences("forecaster").get(0))).put("horizon", 0), 400)
                .get("field").asText());
        assertEquals("input", predict("variable", JSON.createObjectNode(), 400).get("field").asText());
        assertEquals("inputs", predict("variable", body("inputs", JSON.createArrayNode()), 400).get("field").asText());
        assertEquals("input", predict("classifier", body("input", JSON.valueToTree(new double[][]{{1}})), 400).get("field").asText(),
                "a fixed-length model refuses another length");
        HttpResponse<String> notJson = send(server, "POST", "/v1/models/variable:predict", "{\"inputs\": [");
        assertEquals(400, notJson.statusCode());
        assertTrue(JSON.readTree(notJson.body()).get("error").asText().startsWith("the body is not JSON"), notJson.body());
    }

    @Test
    void unknownModelsPathsAndMethodsAre404And405() throws Exception {
        HttpResponse<String> model = send(server, "POST", "/v1/models/nope:predict", "{}");
        assertEquals(404, model.statusCode());
        assertTrue(JSON.readTree(model.body()).get("error").asText().startsWith("no model 'nope'"), model.body());
        assertEquals(404, send(server, "GET", "/v1/models/nope", null).statusCode());
        assertEquals(404, send(server, "GET", "/v2/anything", null).statusCode());
        assertEquals(404, send(server, "POST", "/v1/models/classifier/sessions/0123:step", "{\"values\": [1]}").statusCode());
        HttpResponse<String> method = send(server, "GET", "/v1/models/classifier:predict", null);
        assertEquals(405, method.statusCode());
        assertEquals("POST", method.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String big = "{\"input\": [" + "[1.0],".repeat(20_000) + "[1.0]]}";
        HttpResponse<String> response = send(server, "POST", "/v1/models/classifier:predict", big);
        assertEquals(413, response.statusCode());
        assertTrue(JSON.readTree(response.body()).get("error").asText().contains("larger than 65536 bytes"), response.body());
        assertEquals(200, send(server, "GET", "/health", null).statusCode(), "the server goes on");
    }

    @Test
    void aForeignHostHeaderIsRefused() throws Exception {
        int port = server.address().getPort();
        assertEquals(421, rawStatus(port, "evil.example:" + port));
        assertEquals(421, rawStatus(port, "127.0.0.1:" + (port + 1)));
        assertEquals(200, rawStatus(port, "localhost:" + port));
        assertEquals(200, rawStatus(port, "127.0.0.1:" + port));
        ServerOptions d = ServerOptions.defaults(0);
        try (ModelServer proxied = ModelServer.start(Map.of("classifier", MODELS.get("classifier")), new ServerOptions(d.host(), 0,
                d.threads(), d.queue(), d.maxBodyBytes(), d.sessionIdle(), d.maxSessions(), List.of("models.internal"), d.shutdownGrace()))) {
            int other = proxied.address().getPort();
            assertEquals(200, rawStatus(other, "models.internal:443"), "a name given may come with a proxy's port");
            assertEquals(200, rawStatus(other, "localhost:" + other));
            assertEquals(421, rawStatus(other, "evil.example"));
        }
    }

    @Test
    void aSessionStepsAsAnInProcessStreamAndIsGoneOnceClosed() throws Exception {
        RnnModel model = MODELS.get("variable");
        double[][] sequence = testSequences("variable").get(1);
        HttpResponse<String> opened = send(server, "POST", "/v1/models/variable/sessions", null);
        assertEquals(201, opened.statusCode(), opened.body());
        String id = JSON.readTree(opened.body()).get("id").asText();
        assertEquals("/v1/models/variable/sessions/" + id, opened.headers().firstValue("Location").orElse(""));
        ModelStream stream = model.openStream();
        JsonNode last = null;
        for (double[] step : sequence) {
            last = post(server, "/v1/models/variable/sessions/" + id + ":step", body("values", JSON.valueToTree(step)), 200);
            assertArrayEquals(stream.step(step), probabilities(last.get("output"), model.contract().classes()));
        }
        assertEquals(sequence.length, last.get("steps").asInt());
        assertClassification(model.classify(sequence), last.get("output"), "after the last step, the whole sequence's answer");
        JsonNode bad = post(server, "/v1/models/variable/sessions/" + id + ":step", body("values", JSON.valueToTree(new double[]{1})), 400);
        assertEquals("values", bad.get("field").asText());
        assertEquals(404, send(server, "POST", "/v1/models/classifier/sessions/" + id + ":step", "{\"values\": [1]}").statusCode(),
                "a session belongs to its model");
        assertEquals(204, send(server, "DELETE", "/v1/models/variable/sessions/" + id, null).statusCode());
        assertEquals(404, send(server, "POST", "/v1/models/variable/sessions/" + id + ":step", "{\"values\": [1, 2]}").statusCode());
        assertEquals(404, send(server, "DELETE", "/v1/models/variable/sessions/" + id, null).statusCode());
        assertEquals(400, send(server, "POST", "/v1/models/bidirectional/sessions", null).statusCode(), "no stream through a bidirectional layer");
        assertEquals(400, send(server, "POST", "/v1/models/translator/sessions", null).statusCode(), "nor of text");
    }

    @Test
    void sessionsAreCappedAndIdleOnesExpire() throws Exception {
        try (ModelServer small = ModelServer.start(Map.of("classifier", MODELS.get("classifier")),
                ServerOptions.defaults(0).withSessions(Duration.ofSeconds(1), 2))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ids.add(JSON.readTree(send(small, "POST", "/v1/models/classifier/sessions", null).body()).get("id").asText());
            }
            HttpResponse<String> full = send(small, "POST", "/v1/models/classifier/sessions", null);
            assertEquals(503, full.statusCode());
            assertEquals("1", full.headers().firstValue("Retry-After").orElse(""));
            assertTrue(metrics(small).contains("rnnkit_sessions_open{model=\"classifier\"} 2\n"));
            Thread.sleep(2500); // idle beyond 1 s, and the sweeper (every 0.5 s) has run
            String text = metrics(small);
            assertTrue(text.contains("rnnkit_sessions_open{model=\"classifier\"} 0\n"), text);
            assertTrue(text.contains("rnnkit_sessions_expired_total 2\n"), text);
            assertEquals(404, send(small, "POST", "/v1/models/classifier/sessions/" + ids.get(0) + ":step", "{\"values\": [1]}").statusCode());
            assertEquals(201, send(small, "POST", "/v1/models/classifier/sessions", null).statusCode(), "room again");
        }
    }

    @Test
    void healthMetricsAndOpenApi() throws Exception {
        assertEquals("ok", get(server, "/health", 200).get("status").asText());
        predict("classifier", body("input", JSON.valueToTree(testSequences("classifier").get(0))), 200);
        predict("variable", body("inputs", JSON.valueToTree(List.of(new double[][]{{1}}))), 400);
        String text = metrics(server);
        assertTrue(text.contains("rnnkit_requests_total{model=\"classifier\",endpoint=\"predict\",status=\"200\"} "), text);
        assertTrue(text.contains("rnnkit_requests_total{model=\"variable\",endpoint=\"predict\",status=\"400\"} "), text);
        assertTrue(text.contains("rnnkit_request_errors_total{model=\"variable\",endpoint=\"predict\",error=\"http-400\"} "), text);
        assertTrue(text.contains("rnnkit_request_duration_seconds_bucket{model=\"classifier\",endpoint=\"predict\",le=\"+Inf\"} "), text);
        assertTrue(text.contains("# TYPE rnnkit_request_duration_seconds histogram\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("jvm_memory_heap_used_bytes ")), text);
        for (String line : text.lines().filter(l -> !l.startsWith("#")).toList()) {
            assertTrue(line.matches("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*})? [0-9.E+-]+"), "not Prometheus text: " + line);
        }
        JsonNode api = get(server, "/openapi.json", 200);
        assertEquals("3.0.3", api.get("openapi").asText());
        List<String> paths = new ArrayList<>();
        api.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(List.of("/health", "/metrics", "/openapi.json", "/v1/models", "/v1/models/{name}", "/v1/models/{name}:predict",
                "/v1/models/{name}/sessions", "/v1/models/{name}/sessions/{id}:step", "/v1/models/{name}/sessions/{id}"), paths);
        assertEquals(MODELS.size(), api.get("paths").get("/v1/models/{name}:predict").get("post").get("parameters").get(0)
                .get("schema").get("enum").size());
        api.findValues("$ref").forEach(ref -> assertTrue(api.get("components").get("schemas").has(ref.asText().replace("#/components/schemas/", "")),
                "dangling " + ref));
    }

    @Test
    void aFullQueueIs503AndShutdownFinishesTheRequestInFlight() throws Exception {
        ModelServer small = ModelServer.start(Map.of("forecaster", MODELS.get("forecaster")), ServerOptions.defaults(0).withThreads(1, 0));
        ObjectNode slow = body("input", JSON.valueToTree(testSequences("forecaster").get(0))).put("horizon", ServedTask.MAX_STEPS);
        CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(request(small, "POST", "/v1/models/forecaster:predict",
                slow.toString()), HttpResponse.BodyHandlers.ofString());
        while (!metrics(small).contains("rnnkit_requests_running 1\n")) {
            Thread.sleep(5);
        }
        HttpResponse<String> busy = send(small, "POST", "/v1/models/forecaster:predict", slow.toString());
        assertEquals(503, busy.statusCode(), busy.body());
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
        Thread closer = new Thread(small::close);
        closer.start();
        HttpResponse<String> finished = inFlight.get();
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals(ServedTask.MAX_STEPS, JSON.readTree(finished.body()).get("output").size());
        closer.join(30_000);
        assertFalse(closer.isAlive());
        assertThrows(ConnectException.class, () -> HttpClient.newHttpClient().send(request(small, "GET", "/health", null),
                HttpResponse.BodyHandlers.ofString()), "no longer listening");
    }

    // --- helpers

    static List<double[][]> testSequences(String name) {
        var trained = switch (name) {
            case "classifier" -> TrainedModels.classifier();
            case "bidirectional" -> TrainedModels.bidirectionalClassifier();
            case "variable" -> TrainedModels.variableLengthClassifier();
            case "forecaster" -> TrainedModels.forecaster();
            case "two-columns" -> TrainedModels.twoColumnForecaster();
            case "ensemble" -> TrainedModels.ensembleClassifier();
            default -> null;
        };
        if (trained != null) {
            return TrainedModels.sequences(trained.run().data().test()).subList(0, 6);
        }
        RnnModel model = MODELS.get(name);
        java.util.Random random = new java.util.Random(9);
        double[][] sequence = new double[model.contract().maxLength()][model.contract().features()];
        for (double[] step : sequence) {
            for (int f = 0; f < step.length; f++) {
                step[f] = random.nextGaussian();
            }
        }
        return List.<double[][]>of(sequence);
    }

    static void assertClassification(Classification expected, JsonNode actual, String what) {
        assertEquals(expected.label(), actual.get("label").asText(), what);
        assertArrayEquals(expected.probabilities(), probabilities(actual, expected.classes()), what);
    }

    static double[] probabilities(JsonNode classification, List<String> classes) {
        return classes.stream().mapToDouble(c -> classification.get("probabilities").get(c).doubleValue()).toArray();
    }

    static ObjectNode body(String field, JsonNode value) {
        ObjectNode body = JSON.createObjectNode();
        body.set(field, value);
        return body;
    }

    static JsonNode predict(String model, ObjectNode body, int status) throws Exception {
        return post(server, "/v1/models/" + model + ":predict", body, status);
    }

    static JsonNode post(ModelServer target, String path, ObjectNode body, int status) throws Exception {
        HttpResponse<String> response = send(target, "POST", path, body.toString());
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    static JsonNode get(ModelServer target, String path, int status) throws Exception {
        HttpResponse<String> response = send(target, "GET", path, null);
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    static String metrics(ModelServer target) throws Exception {
        HttpResponse<String> response = send(target, "GET", "/metrics", null);
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        return response.body();
    }

    static HttpResponse<String> send(ModelServer target, String method, String path, String body) throws Exception {
        return CLIENT.send(request(target, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(ModelServer target, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(target.uri() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The status of {@code GET /health} sent with the given Host header (which the JDK's client will not let one set). */
    static int rawStatus(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
