package io.rnnkit.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Binds a YAML node tree to immutable config records, reporting every problem it meets with its YAML path
 * and line instead of stopping at the first. Records, enums (kebab-case), strings, int, long, double,
 * boolean and {@code List<T>} are understood (a {@link Shorthand} section also as one scalar); a missing field takes its {@link Default} (a section whose
 * fields all have defaults says {@code @Default("{}")}), is null when {@link Optional}, and is a problem otherwise.
 */
final class RecordBinder {
    private final ConfigLocations locations;
    private final List<Problem> problems = new ArrayList<>();

    RecordBinder(ConfigLocations locations) {
        this.locations = locations;
    }

    List<Problem> problems() {
        return problems;
    }

    /** The bound value, or null when a problem was recorded. */
    @SuppressWarnings("unchecked")
    <T> T bind(Class<T> type, Node node, String path) {
        return (T) bindValue(type, node, path);
    }

    private Object bindValue(Type type, Node node, String path) {
        recordLine(path, node);
        if (isNull(node)) {
            return fail(path, "expected " + describe(type) + ", found nothing");
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            return bindList(parameterized.getActualTypeArguments()[0], node, path);
        }
        Class<?> raw = (Class<?>) type;
        if (raw == ClassWeights.class) {
            return bindClassWeights(node, path);
        }
        if (raw.isRecord()) {
            Shorthand shorthand = raw.getAnnotation(Shorthand.class);
            if (shorthand != null && node instanceof ScalarNode) {
                return bindShorthand(raw, shorthand.value(), node, path);
            }
            return bindRecord(raw, node, path);
        }
        if (!(node instanceof ScalarNode scalar)) {
            return fail(path, "expected " + describe(type) + ", found " + kind(node));
        }
        return bindScalar(raw, scalar.getValue(), path);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object bindScalar(Class<?> type, String text, String path) {
        String t = text.trim();
        try {
            if (type == String.class) {
                return text;
            }
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(t.replace("_", ""));
            }
            if (type == long.class || type == Long.class) {
                return Long.parseLong(t.replace("_", ""));
            }
            if (type == double.class || type == Double.class) {
                double d = Double.parseDouble(t);
                return Double.isFinite(d) ? d : fail(path, "expected a finite number, got '" + text + "'");
            }
        } catch (NumberFormatException e) {
            return fail(path, "expected " + describe(type) + ", got '" + text + "'");
        }
        if (type == boolean.class || type == Boolean.class) {
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.equals("true") || lower.equals("false")) {
                return Boolean.parseBoolean(lower);
            }
            return fail(path, "expected true or false, got '" + text + "'");
        }
        if (type.isEnum()) {
            Object constant = YamlNames.parse((Class) type, t);
            if (constant == null) {
                List<String> allowed = YamlNames.of((Class) type);
                return fail(path, "expected one of " + String.join(", ", allowed) + ", got '" + text + "'"
                        + YamlNames.didYouMean(t, allowed));
            }
            return constant;
        }
        throw new IllegalStateException("config field of unsupported type " + type + " at " + path);
    }

    /** {@code none}, {@code balanced}, or a section of weights by class name. */
    private Object bindClassWeights(Node node, String path) {
        String expected = "none, balanced or a weight per class name such as {normal: 1, anomaly: 20}";
        if (node instanceof ScalarNode scalar) {
            String word = scalar.getValue().trim();
            return word.equals("balanced") ? ClassWeights.BALANCED : word.equals("none") ? ClassWeights.NONE
                    : fail(path, "expected " + expected + ", got '" + word + "'" + YamlNames.didYouMean(word, ClassWeights.WORDS));
        }
        if (!(node instanceof MappingNode mapping)) {
            return fail(path, "expected " + expected + ", found " + kind(node));
        }
        java.util.Map<String, Double> weights = new java.util.LinkedHashMap<>();
        int before = problems.size();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
            String keyPath = join(path, key == null ? "?" : key);
            recordLine(keyPath, tuple.getKeyNode());
            if (key == null) {
                failAt(tuple.getKeyNode(), path, "keys must be class names, found " + kind(tuple.getKeyNode()));
            } else if (weights.containsKey(key)) {
                failAt(tuple.getKeyNode(), keyPath, "duplicate key '" + key + "'");
            } else {
                Double w = (Double) bindValue(Double.class, tuple.getValueNode(), keyPath);
                if (w != null && !(w > 0)) {
                    fail(keyPath, "a class weight must be > 0, got " + Constraints.format(w));
                }
                weights.put(key, w);
            }
        }
        if (weights.isEmpty()) {
            return fail(path, "no class weight given; use none, balanced or a weight per class name");
        }
        return problems.size() > before ? null : new ClassWeights(false, weights);
    }

    private Object bindList(Type element, Node node, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            return fail(path, "expected a list of " + describe(element) + ", found " + kind(node));
        }
        List<Object> values = new ArrayList<>();
        boolean ok = true;
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            int before = problems.size();
            Object value = bindValue(element, items.get(i), path + "[" + i + "]");
            ok &= problems.size() == before;
            values.add(value);
        }
        return ok ? List.copyOf(values) : null;
    }

    private Object bindRecord(Class<?> type, Node node, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return fail(path, "expected a section with keys (" + keysOf(type) + "), found " + kind(node));
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        Node[] given = new Node[components.length];
        int before = problems.size();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
            String keyPath = join(path, key == null ? "?" : key);
            recordLine(keyPath, tuple.getKeyNode());
            if (key == null) {
                failAt(tuple.getKeyNode(), path, "keys must be plain words, found " + kind(tuple.getKeyNode()));
            } else if (!seen.add(key)) {
                failAt(tuple.getKeyNode(), keyPath, "duplicate key '" + key + "'");
            } else if (!names.contains(key)) {
                failAt(tuple.getKeyNode(), keyPath, "unknown key '" + key + "'" + YamlNames.didYouMean(key, names)
                        + "; allowed here: " + String.join(", ", names));
            } else {
                given[names.indexOf(key)] = tuple.getValueNode();
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String childPath = join(path, component.getName());
            Node child = given[i];
            int beforeComponent = problems.size();
            if (child == null || (isNull(child) && component.isAnnotationPresent(Optional.class))) {
                recordLine(childPath, node);
                values[i] = absent(component, childPath);
            } else {
                values[i] = bindValue(component.getGenericType(), child, childPath);
            }
            if (problems.size() == beforeComponent) {
                String violation = Constraints.violation(component, values[i]);
                if (violation != null) {
                    fail(childPath, violation);
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return construct(type, components, values, path);
    }

    /**
     * A section written as one scalar: the scalar sets the named field (its problems reported at the section's own
     * path, where a user wrote it), every other field takes its default.
     */
    private Object bindShorthand(Class<?> type, String field, Node scalar, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        int before = problems.size();
        for (int i = 0; i < components.length; i++) {
            boolean given = components[i].getName().equals(field);
            values[i] = given ? bindValue(components[i].getGenericType(), scalar, path) : absent(components[i], join(path, components[i].getName()));
            String violation = problems.size() == before ? Constraints.violation(components[i], values[i]) : null;
            if (violation != null) {
                fail(path, violation);
            }
        }
        return problems.size() > before ? null : construct(type, components, values, path);
    }

    /** The value of a field the YAML leaves out. */
    private Object absent(RecordComponent component, String path) {
        Default fallback = component.getAnnotation(Default.class);
        if (fallback != null) {
            return bindValue(component.getGenericType(), YamlTrees.parseFragment(fallback.value()), path);
        }
        if (component.isAnnotationPresent(Optional.class)) {
            return null;
        }
        return fail(path, "missing required key '" + component.getName() + "' (" + describe(component.getGenericType()) + ")");
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] values, String path) {
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException bad) {
                return fail(fieldPath(path, bad.getMessage(), components), stripField(bad.getMessage(), components));
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " at " + path, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName() + " at " + path, e);
        }
    }

    /** Constructor messages start with {@code field: }; point the problem at that field when they do. */
    private static String fieldPath(String path, String message, RecordComponent[] components) {
        for (RecordComponent c : components) {
            if (message != null && message.startsWith(c.getName() + ": ")) {
                return join(path, c.getName());
            }
        }
        return path;
    }

    private static String stripField(String message, RecordComponent[] components) {
        for (RecordComponent c : components) {
            if (message != null && message.startsWith(c.getName() + ": ")) {
                return message.substring(c.getName().length() + 2);
            }
        }
        return message;
    }

    private Object fail(String path, String message) {
        problems.add(locations.problem(path, message));
        return null;
    }

    /** A problem located at a node's own line (a key can repeat, so its path alone does not find it). */
    private void failAt(Node node, String path, String message) {
        if (node.getStartMark() == null || locations.locate(path).startsWith("--set")) {
            fail(path, message);
        } else {
            problems.add(new Problem(locations.source() + ":" + (node.getStartMark().getLine() + 1), path, message));
        }
    }

    /** Nodes made by overrides have no position; their paths are located as command-line overrides instead. */
    private void recordLine(String path, Node node) {
        if (node.getStartMark() != null) {
            locations.recordLine(path, node.getStartMark().getLine() + 1);
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && (node.getTag().equals(Tag.NULL) || (s.getValue().isEmpty() && s.getScalarStyle().getChar() == null));
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a section with keys";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static String keysOf(Class<?> record) {
        return String.join(", ", Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static String describe(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "a list of " + describe(p.getActualTypeArguments()[0]);
        }
        Class<?> c = (Class<?>) type;
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            return "one of " + String.join(", ", YamlNames.of((Class) c));
        }
        return "a section with keys (" + keysOf(c) + ")";
    }
}
