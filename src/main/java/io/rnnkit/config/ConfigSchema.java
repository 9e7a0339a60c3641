package io.rnnkit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.Yaml;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Schema (draft-07) of experiment configs, generated from the config records and their
 * annotations, the same source the YAML binder reads, so the schema cannot drift from what rnnkit accepts.
 * Editors use it to complete and check YAML files (committed as {@code docs/config.schema.json}).
 */
public final class ConfigSchema {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ConfigSchema() {
    }

    public static String json() {
        try {
            return JSON.writeValueAsString(schema()) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode schema() {
        Map<String, ObjectNode> definitions = new TreeMap<>();
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "rnnkit experiment");
        ObjectNode body = recordSchema(ExperimentConfig.class, definitions);
        root.setAll(body);
        ObjectNode defs = root.putObject("definitions");
        definitions.forEach(defs::set);
        return root;
    }

    private static ObjectNode recordSchema(Class<?> record, Map<String, ObjectNode> definitions) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "object");
        Doc doc = record.getAnnotation(Doc.class);
        if (doc != null) {
            node.put("description", doc.value());
        }
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent c : record.getRecordComponents()) {
            ObjectNode property = typeSchema(c.getGenericType(), definitions);
            Doc d = c.getAnnotation(Doc.class);
            if (d != null) {
                property.put("description", d.value());
            }
            Range range = c.getAnnotation(Range.class);
            if (range != null) {
                boolean list = c.getType() == java.util.List.class;
                if (range.min() != Double.NEGATIVE_INFINITY) {
                    property.put(list ? "minItems" : range.minExclusive() ? "exclusiveMinimum" : "minimum", number(range.min()));
                }
                if (range.max() != Double.POSITIVE_INFINITY) {
                    property.put(list ? "maxItems" : range.maxExclusive() ? "exclusiveMaximum" : "maximum", number(range.max()));
                }
            }
            Pattern pattern = c.getAnnotation(Pattern.class);
            if (pattern != null) {
                property.put("pattern", "^" + pattern.value() + "$");
            }
            Default fallback = c.getAnnotation(Default.class);
            if (fallback != null) {
                Object value = new Yaml().load(fallback.value());
                if (!(value instanceof Map<?, ?> map && map.isEmpty())) {
                    property.set("default", JSON.valueToTree(value));
                }
            }
            boolean optional = c.isAnnotationPresent(Optional.class);
            if (optional) {
                ObjectNode either = JSON.createObjectNode();
                ArrayNode anyOf = either.putArray("anyOf");
                anyOf.add(property);
                anyOf.addObject().put("type", "null");
                properties.set(c.getName(), either);
            } else {
                properties.set(c.getName(), property);
            }
            boolean defaulted = fallback != null || optional;
            if (!defaulted) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        node.put("additionalProperties", false);
        return node;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ObjectNode typeSchema(Type type, Map<String, ObjectNode> definitions) {
        ObjectNode node = JSON.createObjectNode();
        if (type instanceof ParameterizedType p) {
            node.put("type", "array");
            node.set("items", typeSchema(p.getActualTypeArguments()[0], definitions));
            return node;
        }
        Class<?> c = (Class<?>) type;
        if (c == ClassWeights.class) {
            ArrayNode anyOf = node.putArray("anyOf");
            ArrayNode words = anyOf.addObject().put("type", "string").putArray("enum");
            ClassWeights.WORDS.forEach(words::add);
            ObjectNode byName = anyOf.addObject().put("type", "object");
            byName.putObject("additionalProperties").put("type", "number").put("exclusiveMinimum", 0);
            byName.put("minProperties", 1);
        } else if (c.isRecord()) {
            String name = c.getSimpleName();
            if (!definitions.containsKey(name)) {
                definitions.put(name, JSON.createObjectNode());
                definitions.put(name, recordSchema(c, definitions));
            }
            // draft-07 ignores keywords beside $ref, so the reference is wrapped to keep the field's description
            Shorthand shorthand = c.getAnnotation(Shorthand.class);
            if (shorthand != null) {
                ArrayNode either = node.putArray("anyOf");
                either.addObject().put("$ref", "#/definitions/" + name);
                Type field = java.util.Arrays.stream(c.getRecordComponents()).filter(r -> r.getName().equals(shorthand.value()))
                        .findFirst().orElseThrow().getGenericType();
                either.add(typeSchema(field, definitions));
            } else {
                node.putArray("allOf").addObject().put("$ref", "#/definitions/" + name);
            }
        } else if (c.isEnum()) {
            node.put("type", "string");
            ArrayNode values = node.putArray("enum");
            YamlNames.of((Class) c).forEach(v -> values.add((String) v));
        } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            node.put("type", "integer");
        } else if (c == double.class || c == Double.class) {
            node.put("type", "number");
        } else if (c == boolean.class || c == Boolean.class) {
            node.put("type", "boolean");
        } else {
            node.put("type", "string");
        }
        return node;
    }

    private static JsonNode number(double d) {
        return d == Math.rint(d) ? JSON.getNodeFactory().numberNode((long) d) : JSON.getNodeFactory().numberNode(d);
    }
}
