package io.rnnkit.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Weka's {@code .arff} format as the UEA/UCR archive writes it: {@code %} comments, {@code @relation},
 * {@code @attribute} lines ({@code numeric}/{@code real}/{@code integer}, nominal {@code {a,b}}, and
 * {@code relational ... @end name} for multivariate series), {@code @data}, then one case a row. The last
 * attribute is the label (Weka's convention); the others are either numeric, one per time step of a
 * univariate series, or one relational attribute whose quoted value holds a dimension per line (written
 * with {@code \n} escapes) and whose inner numeric attributes are the time steps. {@code ?} is missing.
 */
final class ArffReader {
    private ArffReader() {
    }

    private enum Type { NUMERIC, NOMINAL, RELATIONAL }

    private record Attribute(String name, Type type, List<String> values, List<Attribute> inner, long line) {
    }

    /** A value of a data row: its text (unquoted, escapes resolved), and the file column of each of its characters. */
    private record Token(String text, int[] columns, int column) {
    }

    /** Reads the file's cases into {@code cases} as they come; returns what the header declares. */
    static ArchiveFile.Scan scan(Path file, ArchiveFile.Sink cases) {
        try (ArchiveFile.Text lines = ArchiveFile.Text.of(file, "%")) {
            List<Attribute> attributes = new ArrayList<>();
            Attribute open = null;
            boolean data = false;
            boolean relation = false;
            List<String> classes = List.of();
            for (ArchiveFile.Content content : lines) {
                String text = content.text();
                long line = content.line();
                String stripped = content.stripped();
                int indent = content.indent();
                if (data) {
                    row(file, line, text, indent, attributes, cases);
                    continue;
                }
                String keyword = stripped.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                int rest = indent + keyword.length();
                switch (keyword) {
                    case "@relation" -> {
                        if (relation) {
                            throw ArchiveFile.fault(file, line, indent + 1, "@relation is given twice");
                        }
                        relation = true;
                    }
                    case "@attribute" -> {
                        Attribute attribute = attribute(file, line, text, rest);
                        if (open != null) {
                            if (attribute.type() != Type.NUMERIC) {
                                throw ArchiveFile.fault(file, line, indent + 1, "relational attribute '" + open.name()
                                        + "' may hold numeric attributes only (its time steps)");
                            }
                            open.inner().add(attribute);
                        } else {
                            attributes.add(attribute);
                            if (attribute.type() == Type.RELATIONAL) {
                                open = attribute;
                            }
                        }
                    }
                    case "@end" -> {
                        String name = unquote(text.substring(rest).strip());
                        if (open == null || !open.name().equals(name)) {
                            throw ArchiveFile.fault(file, line, indent + 1, "@end " + name + " closes no open relational attribute"
                                    + (open == null ? "" : " (open: '" + open.name() + "')"));
                        }
                        if (open.inner().isEmpty()) {
                            throw ArchiveFile.fault(file, line, indent + 1, "relational attribute '" + name + "' has no attributes");
                        }
                        open = null;
                    }
                    case "@data" -> {
                        if (open != null) {
                            throw ArchiveFile.fault(file, line, indent + 1, "@data before '@end " + open.name() + "' (line " + open.line() + ")");
                        }
                        classes = layout(file, line, attributes);
                        data = true;
                    }
                    default -> throw ArchiveFile.fault(file, line, indent + 1, "expected @relation, @attribute, @end or @data before the data,"
                            + " got '" + stripped.split("\\s+", 2)[0] + "'");
                }
            }
            long lastLine = lines.lastLine();
            if (!data) {
                throw ArchiveFile.fault(file, Math.max(1, lastLine), 1, "no @data line: an .arff file is @relation, @attribute lines, then @data and one case a row");
            }
            return new ArchiveFile.Scan(lastLine, true, classes);
        }
    }

    /** Checks the attributes make a series and a label; returns the declared classes (empty for a numeric label). */
    private static List<String> layout(Path file, long dataLine, List<Attribute> attributes) {
        if (attributes.size() < 2) {
            throw ArchiveFile.fault(file, dataLine, 1, "expected the series' attributes and a label attribute last, found "
                    + attributes.size() + " attribute(s)");
        }
        List<Attribute> inputs = attributes.subList(0, attributes.size() - 1);
        boolean relational = inputs.get(0).type() == Type.RELATIONAL;
        for (Attribute a : inputs) {
            boolean fits = relational ? inputs.size() == 1 : a.type() == Type.NUMERIC;
            if (!fits) {
                throw ArchiveFile.fault(file, a.line(), 1, "attribute '" + a.name() + "': a series is numeric attributes (one per step)"
                        + " or one relational attribute (multivariate), then the label attribute");
            }
        }
        Attribute label = attributes.get(attributes.size() - 1);
        if (label.type() == Type.RELATIONAL) {
            throw ArchiveFile.fault(file, label.line(), 1, "the last attribute '" + label.name() + "' is the label; it cannot be relational");
        }
        return label.type() == Type.NOMINAL ? label.values() : List.of();
    }

    private static void row(Path file, long line, String text, int indent, List<Attribute> attributes, ArchiveFile.Sink cases) {
        if (text.charAt(indent) == '{') {
            throw ArchiveFile.fault(file, line, indent + 1, "sparse rows ({index value, ...}) are not read; write every value");
        }
        List<Token> tokens = tokens(file, line, text, indent, text.stripTrailing().length());
        if (tokens.size() != attributes.size()) {
            int column = tokens.size() > attributes.size() ? tokens.get(attributes.size()).column() : text.length() + 1;
            throw ArchiveFile.fault(file, line, column, tokens.size() + " values, but " + attributes.size() + " attributes are declared");
        }
        List<ArchiveFile.Dimension> dimensions = new ArrayList<>();
        Attribute first = attributes.get(0);
        if (first.type() == Type.RELATIONAL) {
            Token value = tokens.get(0);
            int start = 0;
            String inner = value.text();
            for (int i = 0; i <= inner.length(); i++) {
                if (i == inner.length() || inner.charAt(i) == '\n') {
                    dimensions.add(dimension(file, line, value, start, i, first));
                    start = i + 1;
                }
            }
        } else {
            List<Double> values = new ArrayList<>();
            List<Integer> columns = new ArrayList<>();
            for (Token t : tokens.subList(0, tokens.size() - 1)) {
                values.add(ArchiveFile.value(file, line, t.column(), t.text()));
                columns.add(t.column());
            }
            dimensions.add(ArchiveFile.Dimension.of(values, columns));
        }
        double[][] sequence = ArchiveFile.sequence(file, line, dimensions);
        Token labelToken = tokens.get(tokens.size() - 1);
        Attribute label = attributes.get(attributes.size() - 1);
        if (labelToken.text().equals("?")) {
            throw ArchiveFile.fault(file, line, labelToken.column(), "the case's label is missing ('?')");
        }
        if (label.type() == Type.NOMINAL && !label.values().contains(labelToken.text())) {
            throw ArchiveFile.fault(file, line, labelToken.column(), "label '" + labelToken.text() + "' is not among the values "
                    + label.values() + " of attribute '" + label.name() + "' (line " + label.line() + ")");
        }
        cases.add(sequence, labelToken.text(), file, line);
    }

    /** One line of a relational value: comma-separated numbers, one per inner attribute (time step). */
    private static ArchiveFile.Dimension dimension(Path file, long line, Token value, int from, int to, Attribute relational) {
        List<Double> values = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int[] span : TsReader.spans(value.text(), from, to, ',')) {
            String raw = value.text().substring(span[0], span[1]);
            int lead = raw.length() - raw.stripLeading().length();
            int column = span[0] + lead < value.columns().length ? value.columns()[span[0] + lead] : value.column();
            values.add(ArchiveFile.value(file, line, column, raw.strip()));
            columns.add(column);
        }
        if (values.size() != relational.inner().size()) {
            throw ArchiveFile.fault(file, line, columns.get(0), "a dimension has " + values.size() + " values, but relational attribute '"
                    + relational.name() + "' declares " + relational.inner().size() + " (line " + relational.line() + ")");
        }
        return ArchiveFile.Dimension.of(values, columns);
    }

    private static Attribute attribute(Path file, long line, String text, int from) {
        int i = skipSpace(text, from);
        if (i >= text.length()) {
            throw ArchiveFile.fault(file, line, text.length() + 1, "expected @attribute NAME TYPE");
        }
        Token name;
        int[] end = new int[1];
        if (text.charAt(i) == '\'' || text.charAt(i) == '"') {
            name = quoted(file, line, text, i, end);
        } else {
            int j = i;
            while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
                j++;
            }
            name = new Token(text.substring(i, j), new int[0], i + 1);
            end[0] = j;
        }
        int typeStart = skipSpace(text, end[0]);
        String type = text.substring(typeStart).strip();
        if (type.isEmpty()) {
            throw ArchiveFile.fault(file, line, text.length() + 1, "attribute '" + name.text() + "' has no type");
        }
        if (type.startsWith("{")) {
            int close = text.lastIndexOf('}');
            if (close < typeStart) {
                throw ArchiveFile.fault(file, line, typeStart + 1, "nominal values need a closing }");
            }
            List<String> values = tokens(file, line, text, typeStart + 1, close).stream().map(Token::text).toList();
            if (values.stream().distinct().count() != values.size()) {
                throw ArchiveFile.fault(file, line, typeStart + 1, "attribute '" + name.text() + "' lists a value twice");
            }
            return new Attribute(name.text(), Type.NOMINAL, values, List.of(), line);
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "numeric", "real", "integer" -> new Attribute(name.text(), Type.NUMERIC, List.of(), List.of(), line);
            case "relational" -> new Attribute(name.text(), Type.RELATIONAL, List.of(), new ArrayList<>(), line);
            default -> throw ArchiveFile.fault(file, line, typeStart + 1, "attribute '" + name.text() + "' has type '" + type
                    + "'; rnnkit reads numeric, real, integer, nominal {a,b,...} and relational attributes");
        };
    }

    /** The comma-separated values between {@code from} and {@code to}, quoted (with ' or ") or not. */
    private static List<Token> tokens(Path file, long line, String text, int from, int to) {
        List<Token> out = new ArrayList<>();
        int i = from;
        while (true) {
            i = skipSpace(text, i);
            Token token;
            int[] end = new int[1];
            if (i < to && (text.charAt(i) == '\'' || text.charAt(i) == '"')) {
                token = quoted(file, line, text, i, end);
                i = skipSpace(text, end[0]);
            } else {
                int j = i;
                while (j < to && text.charAt(j) != ',') {
                    j++;
                }
                String value = text.substring(i, j).strip();
                token = new Token(value, new int[0], i + 1);
                i = j;
            }
            out.add(token);
            if (i >= to) {
                return out;
            }
            if (text.charAt(i) != ',') {
                throw ArchiveFile.fault(file, line, i + 1, "expected ',' after a quoted value");
            }
            i++;
        }
    }

    /** A quoted value starting at {@code start}; {@code end[0]} is set past its closing quote. */
    private static Token quoted(Path file, long line, String text, int start, int[] end) {
        char quote = text.charAt(start);
        StringBuilder value = new StringBuilder();
        List<Integer> columns = new ArrayList<>();
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            char c = text.charAt(i);
            columns.add(i + 1);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                value.append(switch (next) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                value.append(c);
            }
            i++;
        }
        if (i >= text.length()) {
            throw ArchiveFile.fault(file, line, start + 1, "the quoted value opened here is not closed on this line");
        }
        end[0] = i + 1;
        return new Token(value.toString(), columns.stream().mapToInt(Integer::intValue).toArray(), start + 1);
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && (text.charAt(0) == '\'' || text.charAt(0) == '"') && text.charAt(text.length() - 1) == text.charAt(0)) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
