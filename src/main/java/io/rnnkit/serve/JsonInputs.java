package io.rnnkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.bundle.Classification;

import java.util.List;

/** Request values read from JSON, each fault a 400 naming its field; and answers written as JSON. */
final class JsonInputs {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonInputs() {
    }

    /** {@code [[v, …], …]}: steps of values. */
    static double[][] sequence(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw HttpFault.badRequest(field, "expected a sequence: an array of steps, each an array of numbers");
        }
        double[][] out = new double[node.size()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = vector(node.get(t), field + "[" + t + "]");
        }
        return out;
    }

    /** {@code [v, …]}: numbers. */
    static double[] vector(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw HttpFault.badRequest(field, "expected an array of numbers");
        }
        double[] out = new double[node.size()];
        for (int f = 0; f < out.length; f++) {
            JsonNode value = node.get(f);
            if (!value.isNumber()) {
                throw HttpFault.badRequest(field + "[" + f + "]", "expected a number, got " + value.getNodeType().name().toLowerCase());
            }
            out[f] = value.doubleValue();
        }
        return out;
    }

    static String text(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            throw HttpFault.badRequest(field, "expected a string");
        }
        return node.textValue();
    }

    /** An optional whole number in {@code [min, max]}. */
    static long integer(ObjectNode body, String field, long fallback, long min, long max) {
        JsonNode node = body.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw HttpFault.badRequest(field, "expected a whole number from " + min + " to " + max + ", got " + node);
        }
        return node.longValue();
    }

    /** An optional boolean, false when absent. */
    static boolean flag(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node != null && !node.isBoolean()) {
            throw HttpFault.badRequest(field, "expected true or false, got " + node);
        }
        return node != null && node.booleanValue();
    }

    /** An optional number above {@code min}. */
    static double positive(ObjectNode body, String field, double fallback) {
        JsonNode node = body.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber() || !(node.doubleValue() > 0) || Double.isInfinite(node.doubleValue())) {
            throw HttpFault.badRequest(field, "expected a finite number above 0, got " + node);
        }
        return node.doubleValue();
    }

    static ArrayNode numbers(double[] values) {
        ArrayNode out = NODES.arrayNode(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    static ArrayNode steps(double[][] steps) {
        ArrayNode out = NODES.arrayNode(steps.length);
        for (double[] step : steps) {
            out.add(numbers(step));
        }
        return out;
    }

    /** {@code {"label": …, "probabilities": {class: p, …}}}, classes in the model's order. */
    static ObjectNode classification(Classification c) {
        return classification(c.classes(), c.label(), c.probabilities());
    }

    static ObjectNode classification(List<String> classes, String label, double[] probabilities) {
        ObjectNode out = NODES.objectNode().put("label", label);
        ObjectNode p = out.putObject("probabilities");
        for (int k = 0; k < classes.size(); k++) {
            p.put(classes.get(k), probabilities[k]);
        }
        return out;
    }

    /** The class of highest probability (the first of equals, as {@link Classification#label()}). */
    static ObjectNode classification(List<String> classes, double[] probabilities) {
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            if (probabilities[k] > probabilities[best]) {
                best = k;
            }
        }
        return classification(classes, classes.get(best), probabilities);
    }
}
