package io.rnnkit.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * YAML as a tree of nodes that remember their lines: parsing, {@code path=value} overrides applied to the
 * tree before binding (so an override is checked exactly like the file), and records written back as YAML.
 */
public final class YamlTrees {
    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+|\\*)]");

    private YamlTrees() {
    }

    /** Parses one YAML document; a syntax error becomes a problem with the line where the parser stopped. */
    static Node parse(String text, String source) {
        try {
            Node node = yaml().compose(new StringReader(text));
            if (node == null) {
                throw new ConfigException(List.of(new Problem(source, "", "the file is empty; expected a YAML mapping with name, task, data, model and training")));
            }
            return node;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : e.getContextMark().getLine() + 1;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new ConfigException(List.of(new Problem(source + ":" + line, "", "malformed YAML: " + what)));
        } catch (YAMLException e) {
            throw new ConfigException(List.of(new Problem(source, "", "malformed YAML: " + e.getMessage())));
        }
    }

    static Node parseFragment(String text) {
        Node node = yaml().compose(new StringReader(text));
        return node == null ? new ScalarNode(Tag.NULL, "", null, null, DumperOptions.ScalarStyle.PLAIN) : node;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the binder reports duplicates with their path and line
        options.setMaxAliasesForCollections(50);
        return new Yaml(options);
    }

    /**
     * Sets {@code path} (like {@code model.layers[0].units} or {@code model.layers[*].type}) to the YAML
     * value {@code value} in the tree, creating missing sections on the way.
     */
    static void set(Node root, String path, String value, ConfigLocations locations) {
        List<String> segments = segments(path);
        if (segments == null) {
            throw new ConfigException(List.of(new Problem("--set " + path + "=" + value, path,
                    "not a config path; expected keys joined by '.', with [i] for list entries, such as model.layers[0].units")));
        }
        Node parsed;
        try {
            parsed = parseFragment(value);
        } catch (YAMLException e) {
            throw new ConfigException(List.of(new Problem("--set " + path + "=" + value, path, "the value is not valid YAML: " + e.getMessage())));
        }
        setAt(root, segments, 0, "", parsed, path + "=" + value, locations);
    }

    private static void setAt(Node node, List<String> segments, int index, String at, Node value, String text, ConfigLocations locations) {
        String segment = segments.get(index);
        boolean last = index == segments.size() - 1;
        if (segment.startsWith("[")) {
            if (!(node instanceof SequenceNode sequence)) {
                throw override(text, at, "'" + at + "' is not a list");
            }
            List<Node> items = sequence.getValue();
            String inner = segment.substring(1, segment.length() - 1);
            List<Integer> targets = new ArrayList<>();
            if (inner.equals("*")) {
                for (int i = 0; i < items.size(); i++) {
                    targets.add(i);
                }
            } else {
                int i = index(inner, text, at + segment);
                if (i >= items.size()) {
                    throw override(text, at + segment, "'" + at + "' has " + items.size() + " entries; index " + i + " is out of range");
                }
                targets.add(i);
            }
            for (int i : targets) {
                String childAt = at + "[" + i + "]";
                if (last) {
                    items.set(i, value);
                    locations.recordOverride(childAt, text);
                } else {
                    setAt(items.get(i), segments, index + 1, childAt, value, text, locations);
                }
            }
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw override(text, at, "'" + at + "' is not a section with keys, so it has no '" + segment + "'");
        }
        String childAt = RecordBinder.join(at, segment);
        List<NodeTuple> tuples = mapping.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple tuple = tuples.get(i);
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment)) {
                if (last) {
                    tuples.set(i, new NodeTuple(tuple.getKeyNode(), value));
                    locations.recordOverride(childAt, text);
                } else {
                    setAt(tuple.getValueNode(), segments, index + 1, childAt, value, text, locations);
                }
                return;
            }
        }
        Node child = last ? value : new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
        tuples.add(new NodeTuple(new ScalarNode(Tag.STR, segment, null, null, DumperOptions.ScalarStyle.PLAIN), child));
        if (last) {
            locations.recordOverride(childAt, text);
        } else {
            setAt(child, segments, index + 1, childAt, value, text, locations);
        }
    }

    /**
     * Makes the list at {@code path} (such as {@code model.layers}) {@code size} entries long: later entries are
     * dropped, missing ones copy the last entry (as a search over depth needs).
     */
    static void resize(Node root, String path, int size, ConfigLocations locations) {
        String text = path + " count=" + size;
        List<String> segments = segments(path);
        if (segments == null || segments.contains("[*]")) {
            throw override(text, path, "not the path of one list; expected keys joined by '.', with [i] for list entries, such as model.layers");
        }
        Node node = root;
        String at = "";
        for (String segment : segments) {
            node = child(node, segment, at, text);
            at = segment.startsWith("[") ? at + segment : RecordBinder.join(at, segment);
        }
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            throw override(text, path, "'" + path + "' is not a list with entries, so it has no count");
        }
        List<Node> items = sequence.getValue();
        while (items.size() > size) {
            items.remove(items.size() - 1);
        }
        Node last = items.get(items.size() - 1);
        while (items.size() < size) {
            items.add(copy(last));
        }
        locations.recordOverride(path, text);
    }

    /** A list index of a path; one beyond int (such as [99999999999]) is out of range of any list, not a crash. */
    private static int index(String digits, String text, String at) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw override(text, at, "index " + digits + " is out of range: a list has at most " + Integer.MAX_VALUE + " entries");
        }
    }

    private static Node child(Node node, String segment, String at, String text) {
        if (segment.startsWith("[")) {
            int i = index(segment.substring(1, segment.length() - 1), text, at + segment);
            if (!(node instanceof SequenceNode sequence) || i >= sequence.getValue().size()) {
                throw override(text, at + segment, "'" + at + "' has no entry " + i);
            }
            return sequence.getValue().get(i);
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(segment)) {
                    return tuple.getValueNode();
                }
            }
        }
        throw override(text, RecordBinder.join(at, segment), "'" + RecordBinder.join(at, segment) + "' is not in the config");
    }

    /** A deep copy, so that later edits of one list entry do not change its copies. */
    private static Node copy(Node node) {
        if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (NodeTuple t : mapping.getValue()) {
                tuples.add(new NodeTuple(copy(t.getKeyNode()), copy(t.getValueNode())));
            }
            return new MappingNode(mapping.getTag(), tuples, mapping.getFlowStyle());
        }
        if (node instanceof SequenceNode sequence) {
            List<Node> items = new ArrayList<>();
            for (Node n : sequence.getValue()) {
                items.add(copy(n));
            }
            return new SequenceNode(sequence.getTag(), items, sequence.getFlowStyle());
        }
        ScalarNode scalar = (ScalarNode) node;
        return new ScalarNode(scalar.getTag(), scalar.getValue(), null, null, scalar.getScalarStyle());
    }

    private static ConfigException override(String text, String path, String message) {
        return new ConfigException(List.of(new Problem("--set " + text, path, message)));
    }

    /** {@code a.b[0].c} as {@code [a, b, [0], c]}, or null when it is not a path. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        int pos = 0;
        while (pos < path.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return null;
            }
            out.add(m.group());
            pos = m.end();
            if (pos < path.length() && path.charAt(pos) == '.') {
                pos++;
                if (pos == path.length()) {
                    return null;
                }
            }
        }
        return out.isEmpty() || out.get(0).startsWith("[") ? null : out;
    }

    /** A config record as plain maps, lists and scalars, enums in their YAML spelling, absent optionals left out. */
    public static Object toPlain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof ClassWeights weights) {
            return weights.toPlain();
        }
        if (value instanceof Record record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    Object v = toPlain(c.getAccessor().invoke(record));
                    if (v != null) {
                        map.put(c.getName(), v);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return map;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlTrees::toPlain).toList();
        }
        if (value instanceof Enum<?> e) {
            return YamlNames.of(e);
        }
        return value;
    }

    /** A config record written as block-style YAML that loads back into an equal record. */
    public static String toYaml(Record record) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
        return new Yaml(options).dump(toPlain(record));
    }
}
