package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.Default;
import io.rnnkit.config.SplitConfig;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A starting config for a data file ({@code rnnkit init}): the file's format sniffed (UEA/sktime {@code .ts}, Weka
 * {@code .arff}, delimited numbers with their delimiter, decimal mark and header, lines of text with a label), its
 * label column and classes, its layout (one sequence per row, or one long series with its time column), each guess
 * written as a YAML comment with its reason. Everything the file does not decide is left out of the YAML, so the
 * config records' own defaults apply (and the comments quote them from the records): what the records default to is
 * what a new config starts with.
 */
public final class StarterConfig {
    /** The network a draft starts with: the records have no default layers (model.layers is required). */
    static final int UNITS = 32;
    /** Text goes through an embedding of this width (model.embeddingSize is required for text). */
    static final int EMBEDDING = 32;
    private static final int SAMPLE_LINES = 400;
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[-+]?\\d+,\\d+");
    private static final Pattern LABEL_NAME = Pattern.compile("(?i)label|class|target|y|category");
    private static final String[] DATE_FORMATS = {"yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
            "yyyy-MM", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "yyyy/MM/dd", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm"};
    private static final String[] TIME_FORMATS = {"HH:mm:ss", "HH.mm.ss", "HH:mm"};

    private final Path file;
    private final String shownPath;
    private final List<String> yaml = new ArrayList<>();

    private StarterConfig(Path file, String shownPath) {
        this.file = file;
        this.shownPath = shownPath;
    }

    /**
     * The YAML of a starting config for {@code file}, its path written as {@code shownPath}.
     *
     * @throws BadInputException for a missing, unreadable or unrecognised file, naming it
     */
    public static String draft(Path file, String shownPath) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file" + (Files.isDirectory(file) ? " (a folder; give one data file)" : ""));
        }
        StarterConfig s = new StarterConfig(file, shownPath);
        List<String> lines = s.readLines();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String first = lines.stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("%") && !l.startsWith("#")).findFirst()
                .orElseThrow(() -> new BadInputException(file + ": the file is empty"));
        if (name.endsWith(".ts") || first.toLowerCase(Locale.ROOT).startsWith("@problemname")) {
            s.ts(lines);
        } else if (name.endsWith(".arff") || first.toLowerCase(Locale.ROOT).startsWith("@relation")) {
            s.arff(lines);
        } else {
            s.delimited(lines);
        }
        s.defaults();
        return String.join("\n", s.yaml) + "\n";
    }

    /** What the draft leaves to the records, as the loader resolves it: the config records' defaults, whatever they are today. */
    private void defaults() {
        io.rnnkit.config.ExperimentConfig c = io.rnnkit.config.ConfigLoader.parseWithoutFileChecks(String.join("\n", yaml) + "\n", "init");
        io.rnnkit.config.TrainingConfig t = c.training();
        yaml.add("");
        yaml.add(String.format(Locale.ROOT, "# training: the records' defaults: %d epochs, batches of %d, %s at learning rate %s, the epoch kept"
                        + " by validation %s%s; seed %d", t.epochs(), t.batchSize(), io.rnnkit.config.YamlNames.of(t.updater().type()),
                fmt(t.updater().learningRate()), io.rnnkit.config.YamlNames.of(t.earlyStopping().metric()),
                t.earlyStopping().patience() > 0 ? " (stopping after " + t.earlyStopping().patience() + " epochs without a better one)" : "",
                c.seed()));
    }

    /** The file's lines (UTF-8, else Latin-1), refusing a binary file. */
    private List<String> readLines() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
                if (bytes[i] == 0) {
                    throw new BadInputException(file + ": not a text file (byte " + (i + 1) + " is NUL); rnnkit reads delimited text, .ts, .arff and text lines");
                }
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            return Arrays.asList(text.split("\r?\n|\r"));
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the file: " + e.getMessage());
        }
    }

    private void header(String format, String why) {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        stem = stem.replaceAll("^[^a-z0-9]+", "");
        yaml.add("# Written by rnnkit init for " + shownPath + ": a starting point; every guess below says why.");
        yaml.add("# Keys left out take the defaults of rnnkit's config records (rnnkit schema lists them all).");
        yaml.add("name: " + (stem.isEmpty() ? "experiment" : stem));
        yaml.add("");
        yaml.add("# format " + format + ": " + why);
    }

    /** A path in the YAML: quoted when YAML would read it otherwise. */
    private static String quoted(String text) {
        return text.matches("[A-Za-z0-9_./${}-]+") ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** UCR/UEA's {@code X_TRAIN.ext} beside {@code X_TEST.ext}: the test file, else null. */
    private String testFile() {
        String fileName = file.getFileName().toString();
        if (!fileName.contains("_TRAIN")) {
            return null;
        }
        Path test = file.resolveSibling(fileName.replace("_TRAIN", "_TEST"));
        if (!Files.isRegularFile(test)) {
            return null;
        }
        int cut = shownPath.lastIndexOf(fileName);
        return cut < 0 ? test.toString() : shownPath.substring(0, cut) + test.getFileName();
    }

    /** The record's default of one of its components, as its {@code @Default} writes it. */
    static double defaultOf(Class<? extends Record> record, String component) {
        for (var c : record.getRecordComponents()) {
            if (c.getName().equals(component)) {
                return Double.parseDouble(c.getAnnotation(Default.class).value());
            }
        }
        throw new IllegalArgumentException(record.getSimpleName() + " has no " + component);
    }

    /** data.path, then data.testPath and a split of the training file alone when a _TEST file lies beside it. */
    private void paths(boolean classification) {
        yaml.add("  path: " + quoted(shownPath));
        String test = testFile();
        if (test != null) {
            // the records' train and validation shares, scaled to the whole training file
            double train = defaultOf(SplitConfig.class, "train");
            double validation = defaultOf(SplitConfig.class, "validation");
            double share = Math.round(train / (train + validation) * 100) / 100.0;
            yaml.add("  testPath: " + quoted(test) + "   # the _TEST file beside it is the test set");
            yaml.add(String.format(Locale.ROOT, "  split: {train: %s, validation: %s, test: 0}   # the training file only; the records'"
                    + " train:validation ratio (%s:%s)", fmt(share), fmt(Math.round((1 - share) * 100) / 100.0), fmt(train), fmt(validation)));
        } else {
            yaml.add("  # split: the records' default fractions" + (classification ? ", stratified by class" : "") + String.format(Locale.ROOT,
                    " (train %s, validation %s, test %s)", fmt(defaultOf(SplitConfig.class, "train")), fmt(defaultOf(SplitConfig.class, "validation")),
                    fmt(defaultOf(SplitConfig.class, "test"))));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private void model(boolean text) {
        yaml.add("");
        yaml.add("model:   # a starting network; rnnkit's records have no default layers");
        if (text) {
            yaml.add("  embeddingSize: " + EMBEDDING + "   # text is read as token indices, which go through an embedding");
        }
        yaml.add("  layers:");
        yaml.add("    - {type: lstm, units: " + UNITS + "}");
    }

    // ---- .ts ----

    private void ts(List<String> lines) {
        String classLabel = null;
        String dimensions = "1";
        String equal = null;
        String length = null;
        for (String line : lines) {
            String l = line.trim();
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("@data")) {
                break;
            }
            if (lower.startsWith("@classlabel")) {
                classLabel = l.substring("@classlabel".length()).trim();
            } else if (lower.startsWith("@dimensions")) {
                dimensions = l.substring("@dimensions".length()).trim();
            } else if (lower.startsWith("@equallength")) {
                equal = l.substring("@equallength".length()).trim();
            } else if (lower.startsWith("@serieslength")) {
                length = l.substring("@serieslength".length()).trim();
            }
        }
        if (classLabel == null || !classLabel.toLowerCase(Locale.ROOT).startsWith("true")) {
            throw new BadInputException(file + ": a .ts file without @classLabel true; rnnkit init writes configs for classification .ts files");
        }
        List<String> classes = List.of(classLabel.substring(4).trim().split("\\s+"));
        header("ts", "the sktime/UEA header (@problemName … @data)");
        yaml.add("task: {topology: many-to-one, kind: classification}   # @classLabel true: one class per sequence, "
                + classes.size() + " classes " + classes);
        yaml.add("");
        yaml.add("data:");
        yaml.add("  format: ts");
        yaml.add("  # " + dimensions + " dimension(s) per step; lengths "
                + ("false".equalsIgnoreCase(equal) ? "vary (shorter sequences are masked)" : length != null ? length + " steps" : "as the file says"));
        if (length != null && Integer.parseInt(length.replaceAll("\\D", "0")) > 200) {
            yaml.add("  # long sequences: data.segments (such as 25) reads each as fewer steps, which a recurrent net learns more easily");
        }
        paths(true);
        model(false);
    }

    // ---- .arff ----

    private void arff(List<String> lines) {
        String classAttribute = null;
        boolean relational = false;
        int numeric = 0;
        for (String line : lines) {
            String l = line.trim();
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("@data")) {
                break;
            }
            if (lower.startsWith("@attribute")) {
                if (lower.contains(" relational")) {
                    relational = true;
                } else if (l.contains("{")) {
                    classAttribute = l;
                } else if (lower.contains("numeric") || lower.contains("real")) {
                    numeric++;
                }
            }
        }
        if (classAttribute == null) {
            throw new BadInputException(file + ": an .arff file without a nominal class attribute ({a,b,…}); rnnkit init writes configs for classification .arff files");
        }
        String classes = classAttribute.substring(classAttribute.indexOf('{') + 1, classAttribute.lastIndexOf('}')).trim();
        header("arff", "the Weka header (@relation, @attribute … @data)");
        yaml.add("task: {topology: many-to-one, kind: classification}   # the nominal attribute's values are the classes: " + classes);
        yaml.add("");
        yaml.add("data:");
        yaml.add("  format: arff");
        yaml.add("  # " + (relational ? "a relational attribute: multivariate sequences (UEA layout)" : numeric + " numeric attributes: a univariate sequence per row"));
        paths(true);
        model(false);
    }

    // ---- delimited text ----

    /** How a line splits: a single-character separator, or null for runs of whitespace. */
    private static List<String> split(String line, Character separator) {
        if (separator == null) {
            return Arrays.asList(line.trim().split("\\s+"));
        }
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == separator && !quoted) {
                out.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString().trim());
        return out;
    }

    private record Dialect(Character separator, String name, int fields) {
    }

    /** The separator that splits nearly every sampled line into the same number (above one) of fields. */
    private Dialect dialect(List<String> sample) {
        Object[][] candidates = {{'\t', "tab"}, {';', "semicolon"}, {',', "comma"}, {'|', null}, {null, "whitespace"}};
        for (Object[] c : candidates) {
            Character separator = (Character) c[0];
            int[] counts = sample.stream().mapToInt(l -> split(l, separator).size()).toArray();
            int mode = mode(counts);
            long agree = Arrays.stream(counts).filter(n -> n == mode).count();
            if (mode > 1 && agree >= 0.95 * counts.length) {
                return new Dialect(separator, (String) c[1], mode); // the first that fits: a tab or ';' before the ',' inside them
            }
        }
        return null;
    }

    private static int mode(int[] values) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        int best = 0;
        int bestCount = 0;
        for (int v : values) {
            int n = counts.merge(v, 1, Integer::sum);
            if (n > bestCount) {
                best = v;
                bestCount = n;
            }
        }
        return best;
    }

    private static boolean isNumber(String field, boolean decimalComma) {
        String f = decimalComma ? field.replace(',', '.') : field;
        if (f.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(f);
            return !f.endsWith("d") && !f.endsWith("f") && !f.endsWith("D") && !f.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void delimited(List<String> all) {
        List<String> lines = all.stream().filter(l -> !l.isBlank() && !l.replaceAll("[;,\\t| ]", "").isEmpty()).toList();
        List<String> sample = lines.subList(0, Math.min(lines.size(), SAMPLE_LINES));
        Dialect dialect = dialect(sample);
        if (dialect == null) {
            throw new BadInputException(file + ": cannot tell how the values are separated (no tab, semicolon, comma, '|' or whitespace splits"
                    + " the lines alike); rnnkit init reads delimited numbers, text lines with a label, .ts and .arff");
        }
        List<List<String>> rows = sample.stream().map(l -> split(l, dialect.separator())).filter(r -> r.size() == dialect.fields()).toList();
        boolean decimalComma = dialect.separator() != null && dialect.separator() != ',' && rows.stream().skip(1)
                .anyMatch(r -> r.stream().anyMatch(f -> DECIMAL_COMMA.matcher(f).matches()));
        List<String> head = rows.get(0);
        boolean header = head.stream().anyMatch(f -> !f.isEmpty() && !isNumber(f, decimalComma))
                && rows.size() > 1 && rows.get(1).stream().filter(f -> isNumber(f, decimalComma)).count() > head.stream().filter(f -> isNumber(f, decimalComma)).count();
        List<List<String>> body = header ? rows.subList(1, rows.size()) : rows;
        int columns = dialect.fields();
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            final int col = c;
            numeric[c] = body.stream().map(r -> r.get(col)).filter(f -> !f.isEmpty()).allMatch(f -> isNumber(f, decimalComma))
                    && body.stream().anyMatch(r -> !r.get(col).isEmpty());
        }
        if (!header && columns == 2 && !numeric[0] && numeric[1] && body.stream().allMatch(r -> integer(r.get(1)) != null)) {
            textLines(all, dialect);
            return;
        }
        String delimiterLine = dialect.name() != null ? "  delimiter: " + dialect.name() : "  separator: \"" + dialect.separator() + "\"";
        String dialectWhy = "   # " + (dialect.separator() == null ? "runs of spaces" : "'" + dialect.separator() + "'") + " split every line into "
                + columns + " fields";
        List<String> names = header ? head : null;
        int[] time = header ? timeColumns(head, body, numeric) : new int[0];
        if (header && (time.length > 0 || labelByName(head, body, numeric) < 0)) {
            series(lines, dialect, delimiterLine + dialectWhy, decimalComma, names, numeric, time, body);
        } else {
            rowsLayout(dialect, delimiterLine + dialectWhy, decimalComma, header, names, numeric, body, lines.size() - (header ? 1 : 0));
        }
    }

    /** A label column named label, class, target, y or category with few integer-like values; -1 for none. */
    private static int labelByName(List<String> head, List<List<String>> body, boolean[] numeric) {
        for (int c = 0; c < head.size(); c++) {
            if (LABEL_NAME.matcher(head.get(c)).matches() && integerLike(body, c)) {
                return c;
            }
        }
        return -1;
    }

    /** Integers with few distinct values: what a class column holds (UCR writes them as -1.0000000e+00). */
    private static boolean integerLike(List<List<String>> body, int c) {
        TreeSet<Long> distinct = new TreeSet<>();
        for (List<String> r : body) {
            Long value = integer(r.get(c));
            if (value == null) {
                return false;
            }
            distinct.add(value);
        }
        return distinct.size() >= 2 && distinct.size() <= Math.max(2, Math.min(100, body.size() / 3));
    }

    private static Long integer(String field) {
        if (!isNumber(field, false)) {
            return null;
        }
        double v = Double.parseDouble(field);
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? (long) v : null;
    }

    private static String pattern(List<String> values, String[] formats) {
        for (String format : formats) {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(format, Locale.ROOT);
            try {
                values.forEach(f::parse);
                return format;
            } catch (DateTimeParseException e) {
                // not this format
            }
        }
        return null;
    }

    /** The time column, or a date and a time column side by side; their java.time patterns are found again by {@link #timeFormat}. */
    private static int[] timeColumns(List<String> head, List<List<String>> body, boolean[] numeric) {
        for (int c = 0; c < head.size(); c++) {
            final int col = c;
            List<String> values = body.stream().map(r -> r.get(col)).toList();
            if (numeric[c] || values.stream().anyMatch(String::isEmpty) || pattern(values, DATE_FORMATS) == null) {
                continue;
            }
            if (c + 1 < head.size() && !numeric[c + 1]) {
                List<String> next = body.stream().map(r -> r.get(col + 1)).toList();
                if (next.stream().noneMatch(String::isEmpty) && pattern(next, TIME_FORMATS) != null) {
                    return new int[]{c, c + 1};
                }
            }
            return new int[]{c};
        }
        return new int[0];
    }

    private static String timeFormat(List<List<String>> body, int[] time) {
        String date = pattern(body.stream().map(r -> r.get(time[0])).toList(), DATE_FORMATS);
        return time.length == 1 ? date : date + " " + pattern(body.stream().map(r -> r.get(time[1])).toList(), TIME_FORMATS);
    }

    private void series(List<String> lines, Dialect dialect, String delimiterLine, boolean decimalComma, List<String> head,
                        boolean[] numeric, int[] time, List<List<String>> body) {
        List<String> values = new ArrayList<>();
        for (int c = 0; c < head.size(); c++) {
            if (numeric[c] && !head.get(c).isEmpty()) {
                values.add(head.get(c));
            }
        }
        if (values.isEmpty()) {
            throw new BadInputException(file + ": a header but no column of numbers under it; rnnkit init found nothing to learn from");
        }
        String format = time.length == 0 ? null : timeFormat(body, time);
        int season = format == null ? 1 : format.contains("HH") ? 24 : format.contains("dd") ? 7 : format.equals("yyyy-MM") ? 12 : 1;
        header("series", "a header over " + values.size() + " numeric column(s)" + (time.length > 0 ? " and a time column" : "")
                + ": one long series, " + (lines.size() - 1) + " rows");
        yaml.add("task: {topology: many-to-one, kind: regression}   # forecasting the series from windows of its past");
        yaml.add("");
        yaml.add("data:");
        yaml.add("  format: series");
        yaml.add("  path: " + quoted(shownPath));
        yaml.add(delimiterLine);
        if (decimalComma) {
            yaml.add("  decimal: comma   # numbers such as 2,6 between '" + dialect.separator() + "'");
        }
        yaml.add("  series:");
        if (time.length == 1) {
            yaml.add("    timeColumn: " + quoted(head.get(time[0])) + "   # its values read as " + format);
            yaml.add("    timeFormat: \"" + format + "\"");
        } else if (time.length == 2) {
            yaml.add("    timeColumns: [" + quoted(head.get(time[0])) + ", " + quoted(head.get(time[1])) + "]   # a date and a time, read together as "
                    + format);
            yaml.add("    timeFormat: \"" + format + "\"");
        } else {
            yaml.add("    # no column reads as dates or times: the rows are taken as consecutive steps");
        }
        yaml.add("    valueColumns: [" + String.join(", ", values.stream().map(StarterConfig::quoted).toList()) + "]   # the numeric columns");
        yaml.add("    target: " + quoted(values.get(0)) + "   # the first numeric column is forecast");
        if (season > 1) {
            yaml.add("    seasonalPeriod: " + season + "   # " + (season == 12 ? "monthly steps, a yearly season" : season == 24
                    ? "hourly steps, a daily season" : "daily steps, a weekly season") + " (for the seasonal-naive baseline)");
        }
        yaml.add("  # split: chronological, the records' default fractions; window: the records' default lookback and horizon");
        model(false);
    }

    private void rowsLayout(Dialect dialect, String delimiterLine, boolean decimalComma, boolean header, List<String> head,
                            boolean[] numeric, List<List<String>> body, int count) {
        int columns = numeric.length;
        for (int c = 0; c < columns; c++) {
            if (!numeric[c]) {
                throw new BadInputException(file + ": column " + (c + 1) + (head != null ? " (" + head.get(c) + ")" : "") + " holds text, such as '"
                        + body.get(0).get(c) + "'; rnnkit init reads rows of numbers");
            }
        }
        int byName = header ? labelByName(head, body, numeric) : -1;
        int label = byName >= 0 ? byName : integerLike(body, 0) ? 0 : integerLike(body, columns - 1) ? columns - 1 : -1;
        boolean classification = label >= 0;
        String from = label == 0 ? "first-column" : "last-column";
        TreeSet<Long> classes = new TreeSet<>();
        if (classification) {
            body.forEach(r -> classes.add(integer(r.get(label))));
        }
        header("rows", "every line holds numbers only: one sequence per row");
        yaml.add("task: {topology: many-to-one, kind: " + (classification ? "classification" : "regression") + "}   # "
                + (classification ? "the " + (label == 0 ? "first" : "last") + " column holds few distinct integers " + classes
                + (byName >= 0 ? " under the name " + head.get(label) : "") + ": a class per sequence"
                : "no column holds few distinct integers, so no classes: the last column is taken as a target to predict from the others."
                + " If the rows come in blocks of one class (UCI synthetic control: 6 blocks of 100), use"
                + " labels: {from: row-blocks, blockSize: 100} and kind: classification"));
        yaml.add("");
        yaml.add("data:");
        yaml.add("  format: rows");
        paths(classification);
        yaml.add(delimiterLine);
        if (decimalComma) {
            yaml.add("  decimal: comma");
        }
        if (header) {
            yaml.add("  skipLines: 1   # the first line names the columns");
        }
        yaml.add("  labels: {from: " + from + "}");
        yaml.add("  # each row: " + (columns - 1) + " steps of one value (data.features, the records' default); " + count + " rows");
        model(false);
    }

    /** Lines of text, a separator, and an integer class: text classification (such as the sentiment sentences). */
    private void textLines(List<String> all, Dialect dialect) {
        TreeSet<String> classes = new TreeSet<>();
        int[] words = all.stream().filter(l -> !l.isBlank()).mapToInt(l -> {
            int cut = l.lastIndexOf(dialect.separator()); // the class follows the last separator, whatever quotes the text holds
            classes.add(l.substring(cut + 1).trim());
            return l.substring(0, Math.max(cut, 0)).trim().split("\\s+").length;
        }).sorted().toArray();
        int length = Math.max(2, words[(int) Math.min(words.length - 1, Math.ceil(0.95 * words.length))]);
        String separator = dialect.separator() == '\t' ? "\"\\t\"" : "\"" + dialect.separator() + "\"";
        header("text", "lines of words, each followed by " + (dialect.name() != null ? "a " + dialect.name() : "'" + dialect.separator() + "'")
                + " and an integer class");
        yaml.add("task: {topology: many-to-one, kind: classification}   # a class per line: " + classes);
        yaml.add("");
        yaml.add("data:");
        yaml.add("  format: text");
        paths(true);
        yaml.add("  text: {unit: word, mode: lines, lowercase: true, labelSeparator: " + separator + ", sequenceLength: " + length + "}"
                + "   # 95 % of the lines have at most " + length + " words");
        yaml.add("  normalizer: none   # token indices are not scaled");
        model(true);
    }
}
