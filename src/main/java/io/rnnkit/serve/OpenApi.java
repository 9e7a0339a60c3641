package io.rnnkit.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.Versions;

import java.util.Collection;

import static io.rnnkit.serve.JsonInputs.NODES;

/** The OpenAPI 3 description of {@link ModelServer}'s endpoints, served at {@code /openapi.json}. */
final class OpenApi {
    private OpenApi() {
    }

    static ObjectNode describe(Collection<String> modelNames) {
        ObjectNode doc = NODES.objectNode().put("openapi", "3.0.3");
        doc.putObject("info").put("title", "rnnkit model server").put("version", Versions.rnnkit())
                .put("description", "Predictions of saved rnnkit models (bundles). A model's task (GET /v1/models/{name}) says what "
                        + ":predict takes: classify and regress take sequences ([[v, ...], ...], one array of values per step), "
                        + "forecast a history and an optional horizon, steps a sequence (an answer per step), classify-text a string, "
                        + "generate-text a seed string with length, temperature, topK and rngSeed, generate-sequence a vector, "
                        + "translate a string and an optional beamWidth. Faults are answered with {error, field}.");
        ObjectNode paths = doc.putObject("paths");
        get(paths, "/health", "Liveness; 503 while shutting down", "Health");
        paths.putObject("/metrics").putObject("get").put("summary", "Prometheus text format: requests, latency, errors, sessions, heap")
                .putObject("responses").putObject("200").put("description", "metrics")
                .putObject("content").putObject("text/plain").putObject("schema").put("type", "string");
        get(paths, "/openapi.json", "This description", null);
        get(paths, "/v1/models", "The served models", "ModelList");

        ObjectNode model = paths.putObject("/v1/models/{name}");
        operation(model, "get", "A model's task, contract and provenance", null, "Model", "200", name(modelNames));

        ObjectNode predict = paths.putObject("/v1/models/{name}:predict");
        operation(predict, "post", "Predict for one input or a batch", "PredictRequest", "PredictResponse", "200", name(modelNames));

        ObjectNode open = paths.putObject("/v1/models/{name}/sessions");
        operation(open, "post", "Open a streaming session (models that read numeric steps and can stream)", null, "Session", "201",
                name(modelNames));

        ObjectNode step = paths.putObject("/v1/models/{name}/sessions/{id}:step");
        operation(step, "post", "Feed one step to a session; the output given the steps so far", "StepRequest", "StepResponse", "200",
                name(modelNames), id());

        ObjectNode close = paths.putObject("/v1/models/{name}/sessions/{id}");
        operation(close, "delete", "Close a session", null, null, "204", name(modelNames), id());

        schemas(doc.putObject("components").putObject("schemas"));
        return doc;
    }

    private static void get(ObjectNode paths, String path, String summary, String schema) {
        ObjectNode op = paths.putObject(path).putObject("get").put("summary", summary);
        ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
        ok.putObject("content").putObject("application/json").set("schema", schema == null ? NODES.objectNode().put("type", "object") : ref(schema));
    }

    private static void operation(ObjectNode path, String method, String summary, String request, String response, String status,
                                  ObjectNode... parameters) {
        ObjectNode op = path.putObject(method).put("summary", summary);
        ArrayNode params = op.putArray("parameters");
        for (ObjectNode p : parameters) {
            params.add(p);
        }
        if (request != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json").set("schema", ref(request));
        }
        ObjectNode responses = op.putObject("responses");
        ObjectNode ok = responses.putObject(status).put("description", "OK");
        if (response != null) {
            ok.putObject("content").putObject("application/json").set("schema", ref(response));
        }
        error(responses, "400", "Invalid request; field names the fault (inputs[3], horizon, values)");
        error(responses, "404", "Unknown model or session");
        error(responses, "405", "Wrong method");
        error(responses, "413", "Body larger than the server's limit");
        error(responses, "421", "Host header not one this server answers for");
        error(responses, "503", "Queue full, session limit reached or shutting down; see Retry-After");
    }

    private static void error(ObjectNode responses, String status, String description) {
        responses.putObject(status).put("description", description).putObject("content").putObject("application/json")
                .set("schema", ref("Error"));
    }

    private static ObjectNode name(Collection<String> modelNames) {
        ObjectNode p = NODES.objectNode().put("name", "name").put("in", "path").put("required", true);
        ArrayNode names = p.putObject("schema").put("type", "string").putArray("enum");
        modelNames.forEach(names::add);
        return p;
    }

    private static ObjectNode id() {
        ObjectNode p = NODES.objectNode().put("name", "id").put("in", "path").put("required", true);
        p.putObject("schema").put("type", "string");
        return p;
    }

    private static ObjectNode ref(String schema) {
        return NODES.objectNode().put("$ref", "#/components/schemas/" + schema);
    }

    private static ObjectNode type(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static ObjectNode arrayOf(ObjectNode items) {
        ObjectNode out = type("array");
        out.set("items", items);
        return out;
    }

    private static ObjectNode object(ObjectNode schemas, String name, String... required) {
        ObjectNode s = schemas.putObject(name).put("type", "object");
        if (required.length > 0) {
            ArrayNode r = s.putArray("required");
            for (String field : required) {
                r.add(field);
            }
        }
        return s.putObject("properties");
    }

    private static void schemas(ObjectNode schemas) {
        ObjectNode error = object(schemas, "Error", "error");
        error.set("error", type("string"));
        error.set("field", type("string").put("description", "the request field at fault, when there is one"));

        ObjectNode sequence = arrayOf(arrayOf(type("number"))).put("description", "steps, each an array of one value per feature");
        ArrayNode inputKinds = NODES.arrayNode().add(sequence).add(type("string").put("description", "text: a line, a seed, a source"))
                .add(arrayOf(type("number")).put("description", "a vector (generate-sequence)"));
        ObjectNode input = NODES.objectNode();
        input.set("oneOf", inputKinds);

        ObjectNode request = object(schemas, "PredictRequest");
        request.set("input", input.deepCopy().put("description", "one input (or give inputs)"));
        request.set("inputs", arrayOf(input.deepCopy()).put("description", "a batch of inputs, answered in order"));
        request.set("horizon", type("integer").put("minimum", 1).put("description", "forecast: steps ahead (default: the trained horizon)"));
        request.set("intervals", type("boolean").put("description", "forecast, a model with a quantile or gaussian head: each answer"
                + " is {forecast, quantiles: {level: values}} over the trained horizon (default false)"));
        request.set("future", type("array").put("description", "forecast, a model with known-future covariates (contract"
                + " forecast.covariates): per input, the trained horizon's steps, each the values of the known-future and calendar features"
                + " (futureFeatureNames) of that step"));
        request.set("length", type("integer").put("minimum", 1).put("description", "generate-text: tokens at most (default 200)"));
        request.set("temperature", type("number").put("exclusiveMinimum", true).put("minimum", 0).put("description", "generate-text (default 1)"));
        request.set("topK", type("integer").put("minimum", 0).put("description", "generate-text: sample among the K likeliest (0: all)"));
        request.set("rngSeed", type("integer").put("description", "generate-text: the same seed gives the same text (default 1)"));
        request.set("beamWidth", type("integer").put("minimum", 1).put("description", "translate: beam width (1: greedy)"));

        ObjectNode classification = object(schemas, "Classification", "label", "probabilities");
        classification.set("label", type("string"));
        classification.set("probabilities", type("object").put("description", "class name: probability, in the model's class order")
                .set("additionalProperties", type("number")));
        ArrayNode outputKinds = NODES.arrayNode().add(ref("Classification"))
                .add(arrayOf(type("number")).put("description", "regress, forecast: values"))
                .add(type("object").put("description", "forecast with intervals: forecast (values) and quantiles (level: values)"))
                .add(arrayOf(NODES.objectNode()).put("description", "steps: an answer per step"))
                .add(type("string").put("description", "generate-text, translate"))
                .add(arrayOf(arrayOf(type("number"))).put("description", "generate-sequence: steps of values"));
        ObjectNode output = NODES.objectNode();
        output.set("oneOf", outputKinds);
        ObjectNode response = object(schemas, "PredictResponse", "model", "task");
        response.set("model", type("string"));
        response.set("task", type("string").set("enum", taskIds()));
        response.set("output", output.deepCopy());
        response.set("outputs", arrayOf(output.deepCopy()));

        ObjectNode session = object(schemas, "Session", "id");
        session.set("id", type("string"));
        session.set("model", type("string"));
        session.set("idleTimeoutSeconds", type("number"));
        object(schemas, "StepRequest", "values").set("values", arrayOf(type("number")).put("description", "one value per feature"));
        ObjectNode stepResponse = object(schemas, "StepResponse", "output");
        stepResponse.set("session", type("string"));
        stepResponse.set("steps", type("integer").put("description", "steps fed so far"));
        stepResponse.set("output", NODES.objectNode().set("oneOf", NODES.arrayNode().add(ref("Classification")).add(arrayOf(type("number")))));

        ObjectNode summary = object(schemas, "ModelSummary", "name", "task");
        summary.set("name", type("string"));
        summary.set("task", type("string").set("enum", taskIds()));
        summary.set("input", type("string").put("description", "what one input is: sequence, text or vector"));
        summary.set("parameters", arrayOf(type("string")));
        summary.set("sessions", type("boolean"));
        summary.set("experiment", type("string"));
        object(schemas, "ModelList").set("models", arrayOf(ref("ModelSummary")));
        ObjectNode model = schemas.putObject("Model");
        ObjectNode more = NODES.objectNode().put("type", "object");
        model.putArray("allOf").add(ref("ModelSummary")).add(more);
        ObjectNode details = more.putObject("properties");
        details.set("contract", type("object").put("description", "what the model reads and returns (rnnkit's InputContract)"));
        details.set("provenance", type("object").put("description", "how it was made (rnnkit's Provenance)"));
        details.set("formatVersion", type("integer"));
        schemas.set("Health", type("object"));
    }

    private static ArrayNode taskIds() {
        ArrayNode ids = NODES.arrayNode();
        for (ServedTask task : ServedTask.values()) {
            ids.add(task.id());
        }
        return ids;
    }
}
