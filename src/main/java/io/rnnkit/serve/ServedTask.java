package io.rnnkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a served model does with {@code :predict}, told from its {@link Task} in {@link #of} — the server's only
 * place that reads a model's task — with the request fields each task takes and the call it makes on
 * {@link RnnModel}. Every task takes one input ({@code "input"}) or a batch ({@code "inputs"}).
 */
enum ServedTask {
    /** A class for each numeric sequence ({@code [[v, …], …]}). */
    CLASSIFY("classify", "sequence", Set.of()) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            return model.classify(sequences(inputs, fields)).stream().<JsonNode>map(JsonInputs::classification).toList();
        }
    },
    /** A class for each line of text. */
    CLASSIFY_TEXT("classify-text", "text", Set.of()) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            return model.classifyTexts(texts(inputs, fields)).stream().<JsonNode>map(JsonInputs::classification).toList();
        }
    },
    /** Values for each numeric sequence. */
    REGRESS("regress", "sequence", Set.of()) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            return model.predict(sequences(inputs, fields)).stream().<JsonNode>map(JsonInputs::numbers).toList();
        }
    },
    /** The next {@code horizon} values of the target column after each history. */
    FORECAST("forecast", "sequence", Set.of("horizon", "intervals", "future")) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            if (body.has("future")) {
                return withFuture(model, sequences(inputs, fields), body.get("future"));
            }
            int trained = model.contract().forecast().horizon();
            int horizon = (int) JsonInputs.integer(body, "horizon", trained, 1, MAX_STEPS);
            if (JsonInputs.flag(body, "intervals")) {
                return intervals(model, sequences(inputs, fields), horizon, trained);
            }
            return model.forecast(sequences(inputs, fields), horizon).stream().<JsonNode>map(JsonInputs::numbers).toList();
        }
    },
    /** An answer at every step of each sequence (many-to-many: a per-step classifier or regressor). */
    STEPS("steps", "sequence", Set.of()) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            List<double[][]> sequences = sequences(inputs, fields);
            if (model.contract().isClassification()) {
                return model.classifySteps(sequences).stream().<JsonNode>map(steps -> {
                    ArrayNode out = JsonInputs.NODES.arrayNode(steps.size());
                    steps.forEach(c -> out.add(JsonInputs.classification(c)));
                    return out;
                }).toList();
            }
            return model.predictSteps(sequences).stream().<JsonNode>map(JsonInputs::steps).toList();
        }
    },
    /** Text sampled after each seed ({@code ""}: from the start of a line). */
    GENERATE_TEXT("generate-text", "text", Set.of("length", "temperature", "topK", "rngSeed")) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            int length = (int) JsonInputs.integer(body, "length", 200, 1, MAX_STEPS);
            double temperature = JsonInputs.positive(body, "temperature", 1.0);
            int topK = (int) JsonInputs.integer(body, "topK", 0, 0, Integer.MAX_VALUE);
            long rngSeed = JsonInputs.integer(body, "rngSeed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
            List<String> seeds = texts(inputs, fields);
            List<JsonNode> out = new ArrayList<>(seeds.size());
            for (String seed : seeds) {
                out.add(JsonInputs.NODES.textNode(model.generate(seed, length, temperature, topK, rngSeed)));
            }
            return out;
        }
    },
    /** A sequence made from each vector (vector to sequence). */
    GENERATE_SEQUENCE("generate-sequence", "vector", Set.of()) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            List<double[]> vectors = read(inputs, fields, JsonInputs::vector);
            return model.generate(vectors).stream().<JsonNode>map(JsonInputs::steps).toList();
        }
    },
    /** The translation of each source text, by beam search of {@code beamWidth} (default: the model's own). */
    TRANSLATE("translate", "text", Set.of("beamWidth")) {
        @Override
        List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body) {
            int beamWidth = (int) JsonInputs.integer(body, "beamWidth", model.config().task().translation().beamWidth(), 1, MAX_BEAM);
            return model.translate(texts(inputs, fields), beamWidth).stream().<JsonNode>map(JsonInputs.NODES::textNode).toList();
        }
    };

    /** Upper bound of a forecast horizon or a generated length: a request's work must stay bounded. */
    static final int MAX_STEPS = 10_000;
    static final int MAX_BEAM = 64;

    private final String id;
    private final String inputKind;
    private final Set<String> parameters;

    ServedTask(String id, String inputKind, Set<String> parameters) {
        this.id = id;
        this.inputKind = inputKind;
        this.parameters = parameters;
    }

    /** How a model of the given task is served: the one place where the server reads a model's {@link Task}. */
    static ServedTask of(RnnModel model) {
        Task task = model.task();
        if (task instanceof Task.Classifier classifier) {
            return classifier.readsText() ? CLASSIFY_TEXT : CLASSIFY;
        }
        if (task.forecastStrategy() != null) {
            return FORECAST;
        }
        if (task.answersPerStep()) {
            return STEPS;
        }
        if (task instanceof Task.Regressor) {
            return REGRESS;
        }
        if (task instanceof Task.TextGenerator) {
            return GENERATE_TEXT;
        }
        if (task instanceof Task.VectorToSequence) {
            return GENERATE_SEQUENCE;
        }
        if (task instanceof Task.Translator) {
            return TRANSLATE;
        }
        throw new IllegalStateException("the server has no way to serve a " + task.getClass().getSimpleName()
                + "; add it to ServedTask.of");
    }

    /** Name in the API ({@code "classify"}). */
    String id() {
        return id;
    }

    /** What one input is: {@code sequence}, {@code text} or {@code vector}. */
    String inputKind() {
        return inputKind;
    }

    /** Request fields besides {@code input}/{@code inputs}. */
    Set<String> parameters() {
        return parameters;
    }

    /** Whether sessions ({@code /sessions}, one step at a time) are served: numeric steps on a network that can stream. */
    boolean streams(RnnModel model) {
        return (this == CLASSIFY || this == REGRESS || this == FORECAST || this == STEPS) && model.canStream();
    }

    /** The answers for the inputs, in order; faults throw (ModelInputException and HttpFault name their field). */
    abstract List<JsonNode> run(RnnModel model, List<JsonNode> inputs, Fields fields, ObjectNode body);

    /** Where the inputs are in the request: {@code input} (one) or {@code inputs[i]}. */
    record Fields(boolean single) {
        String of(int i) {
            return single ? "input" : "inputs[" + i + "]";
        }

        /** The field of a {@link io.rnnkit.bundle.ModelInputException}'s sequence index (-1: the one input). */
        String ofSequence(int sequenceIndex) {
            return sequenceIndex < 0 ? (single ? "input" : "inputs") : of(sequenceIndex);
        }
    }

    /** A stream's output after one step: a classification, or values. */
    static JsonNode stepOutput(InputContract contract, double[] output) {
        return contract.isClassification() ? JsonInputs.classification(contract.classes(), output) : JsonInputs.numbers(output);
    }

    /**
     * A probabilistic forecaster's answers with {@code "intervals": true}: per history, {@code forecast} (the point
     * values) and {@code quantiles}, per level ({@code model.head.levels}) its value at each step of the trained horizon.
     */
    /**
     * The forecasts of a model that reads known-future covariates: {@code future} holds, per input, the forecast steps'
     * known-future values ({@link RnnModel#futureFeatureNames()} of each of the trained horizon's steps).
     */
    private static List<JsonNode> withFuture(RnnModel model, List<double[][]> histories, JsonNode future) {
        if (!future.isArray() || future.size() != histories.size()) {
            throw HttpFault.badRequest("future", "expected one array of forecast steps per input (" + histories.size() + "), each step the values of "
                    + model.futureFeatureNames());
        }
        List<JsonNode> out = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) {
            String field = "future[" + i + "]";
            double[][] steps = JsonInputs.sequence(future.get(i), field);
            try {
                out.add(JsonInputs.numbers(model.forecast(histories.get(i), steps)));
            } catch (io.rnnkit.bundle.MissingCovariatesException | io.rnnkit.bundle.UnsupportedByModelException e) {
                throw HttpFault.badRequest(field, e.getMessage());
            }
        }
        return out;
    }

    private static List<JsonNode> intervals(RnnModel model, List<double[][]> histories, int horizon, int trained) {
        if (!model.task().head().probabilistic()) {
            throw HttpFault.badRequest("intervals", "this model gives point forecasts (trained with model.head.type: point);"
                    + " intervals need a quantile or gaussian head");
        }
        if (horizon != trained) {
            throw HttpFault.badRequest("horizon", "intervals are given for the trained horizon of " + trained + " step(s), not " + horizon);
        }
        int lookback = model.contract().forecast().lookback();
        // the last window of each history, as forecast() reads it
        List<double[][]> windows = histories.stream()
                .map(h -> h.length > lookback ? java.util.Arrays.copyOfRange(h, h.length - lookback, h.length) : h).toList();
        List<double[]> points = model.predict(windows);
        List<io.rnnkit.bundle.Predictor.Intervals> intervals = model.forecastIntervals(windows);
        List<JsonNode> out = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            ObjectNode answer = JsonInputs.NODES.objectNode();
            answer.set("forecast", JsonInputs.numbers(points.get(i)));
            ObjectNode quantiles = answer.putObject("quantiles");
            double[] levels = intervals.get(i).levels();
            for (int l = 0; l < levels.length; l++) {
                double[] atLevel = new double[trained];
                for (int j = 0; j < trained; j++) {
                    atLevel[j] = intervals.get(i).quantiles()[j][l];
                }
                quantiles.set(Double.toString(levels[l]), JsonInputs.numbers(atLevel));
            }
            out.add(answer);
        }
        return out;
    }

    private static List<double[][]> sequences(List<JsonNode> inputs, Fields fields) {
        return read(inputs, fields, JsonInputs::sequence);
    }

    private static List<String> texts(List<JsonNode> inputs, Fields fields) {
        return read(inputs, fields, JsonInputs::text);
    }

    private static <T> List<T> read(List<JsonNode> inputs, Fields fields, java.util.function.BiFunction<JsonNode, String, T> reader) {
        List<T> out = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            out.add(reader.apply(inputs.get(i), fields.of(i)));
        }
        return out;
    }
}
