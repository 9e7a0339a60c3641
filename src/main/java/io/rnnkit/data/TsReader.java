package io.rnnkit.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sktime's {@code .ts} format, as the UEA/UCR archive publishes it: {@code #} comment lines, a header of
 * {@code @problemName}, {@code @timeStamps}, {@code @missing}, {@code @univariate}, {@code @dimensions},
 * {@code @equalLength}, {@code @seriesLength}, {@code @classLabel true a b c} (or {@code @targetLabel true}),
 * then {@code @data} and one case a line: dimensions separated by {@code :}, values by {@code ,}, the label
 * last. Lines are read with DataVec's line reader ({@link TextRecords#rawLines}); the header is checked
 * against every case (dimensions, lengths, declared labels, missing values).
 */
final class TsReader {
    private TsReader() {
    }

    /** What the header declares, with the line of each directive for messages. */
    private static final class Header {
        final Map<String, Long> seen = new HashMap<>();
        Boolean univariate;
        Integer dimensions;
        Boolean equalLength;
        Integer seriesLength;
        Boolean missing;
        boolean classLabel;
        boolean targetLabel;
        final List<String> classes = new ArrayList<>();

        String where(String key) {
            return "@" + key + ", line " + seen.get(key.toLowerCase(Locale.ROOT));
        }
    }

    /** Reads the file's cases into {@code cases} as they come; returns what the header declares. */
    static ArchiveFile.Scan scan(Path file, ArchiveFile.Sink cases) {
        try (ArchiveFile.Text lines = ArchiveFile.Text.of(file, "#")) {
            Header header = new Header();
            boolean data = false;
            int expectedDimensions = -1;
            int firstLength = -1;
            for (ArchiveFile.Content content : lines) {
                String text = content.text();
                long line = content.line();
                String stripped = content.stripped();
                int indent = content.indent();
                if (!data) {
                    if (!stripped.startsWith("@")) {
                        throw ArchiveFile.fault(file, line, indent + 1, "expected a # comment or an @ directive before @data");
                    }
                    data = directive(file, line, text, indent, header);
                    if (data) {
                        expectedDimensions = header.dimensions != null ? header.dimensions : Boolean.TRUE.equals(header.univariate) ? 1 : -1;
                    }
                    continue;
                }
                List<int[]> fields = spans(text, ':');
                boolean labelled = header.classLabel || header.targetLabel;
                int dims = fields.size() - (labelled ? 1 : 0);
                if (expectedDimensions < 0) {
                    expectedDimensions = dims;
                }
                if (dims != expectedDimensions) {
                    int column = dims > expectedDimensions ? fields.get(expectedDimensions)[0] + 1 : text.length() + 1;
                    String declared = header.dimensions != null ? "the header declares " + expectedDimensions + " (" + header.where("dimensions") + ")"
                            : header.univariate != null && header.univariate ? "the header declares a univariate series (" + header.where("univariate") + ")"
                            : "the first case has " + expectedDimensions;
                    throw ArchiveFile.fault(file, line, column, dims + " dimension(s)" + (labelled ? " before the label" : "") + ", but " + declared);
                }
                List<ArchiveFile.Dimension> dimensions = new ArrayList<>(dims);
                for (int d = 0; d < dims; d++) {
                    dimensions.add(dimension(file, line, text, fields.get(d), header));
                }
                double[][] sequence = ArchiveFile.sequence(file, line, dimensions);
                if (header.seriesLength != null && sequence.length != header.seriesLength) {
                    throw ArchiveFile.fault(file, line, fields.get(0)[0] + 1, sequence.length + " values per dimension, but the header declares "
                            + header.seriesLength + " (" + header.where("seriesLength") + ")");
                }
                if (Boolean.TRUE.equals(header.equalLength)) {
                    if (firstLength >= 0 && sequence.length != firstLength) {
                        throw ArchiveFile.fault(file, line, fields.get(0)[0] + 1, sequence.length + " values per dimension, the first case has "
                                + firstLength + ", but the header declares equal lengths (" + header.where("equalLength") + ")");
                    }
                    firstLength = sequence.length;
                }
                String label = labelled ? label(file, line, text, fields.get(fields.size() - 1), header) : null;
                cases.add(sequence, label, file, line);
            }
            long lastLine = lines.lastLine();
            if (!data) {
                throw ArchiveFile.fault(file, Math.max(1, lastLine), 1, "no @data line: a .ts file is an @ header, then @data, then one case a line");
            }
            return new ArchiveFile.Scan(lastLine, header.classLabel || header.targetLabel, header.classes);
        }
    }

    /** Reads one header directive into {@code header}; true for {@code @data}. */
    private static boolean directive(Path file, long line, String text, int indent, Header header) {
        List<int[]> tokens = tokens(text);
        int[] first = tokens.get(0);
        String key = text.substring(first[0] + 1, first[1]).toLowerCase(Locale.ROOT);
        if (header.seen.containsKey(key)) {
            throw ArchiveFile.fault(file, line, indent + 1, "@" + key + " is given twice (first on line " + header.seen.get(key) + ")");
        }
        header.seen.put(key, line);
        List<int[]> args = tokens.subList(1, tokens.size());
        switch (key) {
            case "data" -> {
                requireArguments(file, line, text, args, 0, 0, "@data");
                if (header.classLabel && header.targetLabel) {
                    throw ArchiveFile.fault(file, line, indent + 1, "the header declares both @classLabel true and @targetLabel true; a case has one label");
                }
                return true;
            }
            case "problemname" -> requireArguments(file, line, text, args, 1, Integer.MAX_VALUE, "@problemName NAME");
            case "timestamps" -> {
                if (bool(file, line, text, args, "@timeStamps")) {
                    throw ArchiveFile.fault(file, line, args.get(0)[0] + 1, "@timeStamps true: timestamped values (t,v) are not read;"
                            + " rnnkit reads series of values at equal steps");
                }
            }
            case "missing" -> header.missing = bool(file, line, text, args, "@missing");
            case "univariate" -> header.univariate = bool(file, line, text, args, "@univariate");
            case "dimensions" -> header.dimensions = positive(file, line, text, args, "@dimensions");
            case "equallength" -> header.equalLength = bool(file, line, text, args, "@equalLength");
            case "serieslength" -> header.seriesLength = positive(file, line, text, args, "@seriesLength");
            case "targetlabel" -> header.targetLabel = bool(file, line, text, args, "@targetLabel");
            case "classlabel" -> {
                if (args.isEmpty()) {
                    throw ArchiveFile.fault(file, line, text.length() + 1, "@classLabel needs true and the class names, or false");
                }
                header.classLabel = bool(file, line, text, args.subList(0, 1), "@classLabel");
                if (header.classLabel && args.size() == 1) {
                    throw ArchiveFile.fault(file, line, text.length() + 1, "@classLabel true needs the class names after it");
                }
                if (!header.classLabel && args.size() > 1) {
                    throw ArchiveFile.fault(file, line, args.get(1)[0] + 1, "@classLabel false takes no class names");
                }
                for (int[] name : args.subList(1, args.size())) {
                    String value = text.substring(name[0], name[1]);
                    if (header.classes.contains(value)) {
                        throw ArchiveFile.fault(file, line, name[0] + 1, "class '" + value + "' is declared twice");
                    }
                    header.classes.add(value);
                }
            }
            default -> throw ArchiveFile.fault(file, line, first[0] + 1, "unknown directive '" + text.substring(first[0], first[1])
                    + "'; a .ts header has @problemName, @timeStamps, @missing, @univariate, @dimensions, @equalLength, @seriesLength,"
                    + " @classLabel, @targetLabel and @data");
        }
        if (header.univariate != null && header.univariate && header.dimensions != null && header.dimensions != 1) {
            throw ArchiveFile.fault(file, line, indent + 1, "@univariate true but @dimensions " + header.dimensions);
        }
        if (header.seriesLength != null && Boolean.FALSE.equals(header.equalLength)) {
            throw ArchiveFile.fault(file, line, indent + 1, "@seriesLength " + header.seriesLength + " with @equalLength false;"
                    + " a single length applies to equal-length series only");
        }
        return false;
    }

    private static ArchiveFile.Dimension dimension(Path file, long line, String text, int[] span, Header header) {
        List<Double> values = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int[] value : spans(text, span[0], span[1], ',')) {
            String raw = text.substring(value[0], value[1]);
            String token = raw.strip();
            int column = value[0] + (raw.length() - raw.stripLeading().length()) + 1;
            double v = ArchiveFile.value(file, line, column, token);
            if (Double.isNaN(v) && Boolean.FALSE.equals(header.missing)) {
                throw ArchiveFile.fault(file, line, column, "missing value '" + token + "', but the header says there are none ("
                        + header.where("missing") + ")");
            }
            values.add(v);
            columns.add(column);
        }
        return ArchiveFile.Dimension.of(values, columns);
    }

    private static String label(Path file, long line, String text, int[] span, Header header) {
        String label = text.substring(span[0], span[1]).strip();
        int column = span[0] + 1;
        if (label.isEmpty() || label.equals("?")) {
            throw ArchiveFile.fault(file, line, column, "the case has no label after its last ':'");
        }
        if (header.classLabel && !header.classes.contains(label)) {
            throw ArchiveFile.fault(file, line, column, "label '" + label + "' is not among the classes " + header.classes
                    + " declared by " + header.where("classLabel"));
        }
        return label;
    }

    private static boolean bool(Path file, long line, String text, List<int[]> args, String directive) {
        requireArguments(file, line, text, args, 1, 1, directive + " true|false");
        String value = text.substring(args.get(0)[0], args.get(0)[1]);
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw ArchiveFile.fault(file, line, args.get(0)[0] + 1, directive + " takes true or false, got '" + value + "'");
    }

    private static int positive(Path file, long line, String text, List<int[]> args, String directive) {
        requireArguments(file, line, text, args, 1, 1, directive + " N");
        String value = text.substring(args.get(0)[0], args.get(0)[1]);
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ArchiveFile.fault(file, line, args.get(0)[0] + 1, directive + " takes a whole number of at least 1, got '" + value + "'");
    }

    private static void requireArguments(Path file, long line, String text, List<int[]> args, int min, int max, String usage) {
        if (args.size() < min) {
            throw ArchiveFile.fault(file, line, text.length() + 1, "expected " + usage);
        }
        if (args.size() > max) {
            throw ArchiveFile.fault(file, line, args.get(max)[0] + 1, "unexpected '" + text.substring(args.get(max)[0], args.get(max)[1])
                    + "'; expected " + usage);
        }
    }

    /** {@code [start, end)} of each whitespace-separated token. */
    private static List<int[]> tokens(String text) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(new int[]{start, i});
            }
        }
        return out;
    }

    private static List<int[]> spans(String text, char separator) {
        String stripped = text.stripTrailing();
        int start = text.length() - text.stripLeading().length();
        return spans(text, start, stripped.length(), separator);
    }

    /** {@code [start, end)} of each field between {@code from} and {@code to} split at {@code separator}. */
    static List<int[]> spans(String text, int from, int to, char separator) {
        List<int[]> out = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == separator) {
                out.add(new int[]{start, i});
                start = i + 1;
            }
        }
        return out;
    }
}
