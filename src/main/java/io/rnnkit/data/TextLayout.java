package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.SplitConfig;
import io.rnnkit.config.TextConfig;
import io.rnnkit.config.TextMode;
import io.rnnkit.config.TextUnit;
import io.rnnkit.config.Task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text as token sequences, read line by line with DataVec's LineRecordReader ({@link TextRecords#rawLines}). Each step's single
 * feature is a token's index in the vocabulary, which is built from the training split only (tokens seen
 * fewer than {@code minCount} times there, and tokens only the other splits contain, become {@link #UNKNOWN}).
 * <ul>
 * <li>Generation (one-to-many), lines: each line is {@code ⏎ tokens ⏎} with the line break {@link #BOUNDARY}
 *     as start and end; the network reads every token but the last and predicts every token but the first.</li>
 * <li>Generation, stream: the whole text cut into chunks of {@code sequenceLength + 1} tokens that overlap by
 *     one, split chronologically (training text first), each read and predicted shifted by one.</li>
 * <li>Classification (many-to-one): each line is {@code text SEPARATOR class}.</li>
 * </ul>
 */
public final class TextLayout {
    /** Starts and ends every line in generation, as the line break it is. */
    public static final String BOUNDARY = "\n";
    /** Stands for tokens outside the vocabulary. */
    public static final String UNKNOWN = "<unk>";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+|[^\\s\\p{L}\\p{N}']");

    private TextLayout() {
    }

    /** A line of text: its tokens, its class text (classification) and where it is. */
    record TextLine(List<String> tokens, String label, long line) {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        TextConfig text = data.text();
        List<Path> files = (data.paths().isEmpty() ? List.of(data.path()) : data.paths()).stream().map(DataPaths::resolve).toList();
        List<List<TextLine>> perFile = new ArrayList<>();
        for (Path file : files) {
            List<TextLine> lines = readLines(file, text);
            if (lines.isEmpty()) {
                throw new DataException(file + ": no text");
            }
            perFile.add(lines);
        }
        if (Task.of(config) instanceof Task.Classifier) {
            return classification(config, files, perFile, where);
        }
        List<TextLine> lines = perFile.get(0); // data.paths is for classification only (ConfigRules)
        return text.mode() == TextMode.LINES ? linesForGeneration(config, lines, where) : streamForGeneration(config, lines, where);
    }

    private static List<TextLine> readLines(Path file, TextConfig text) {
        List<TextLine> out = new ArrayList<>();
        eachLine(file, text, out::add);
        return out;
    }

    /** Each line of text as {@link #load} reads it, read one at a time (the streaming path's cache is written from them). */
    static void eachLine(Path file, TextConfig text, java.util.function.Consumer<TextLine> out) {
        try (TextRecords.Lines lines = TextRecords.rawLineIterator(file)) {
            while (lines.hasNext()) {
                line(file, text, lines.next(), out);
            }
        }
    }

    private static void line(Path file, TextConfig text, TextRecords.Line record, java.util.function.Consumer<TextLine> out) {
        long number = record.number();
        String line = record.fields().get(0);
        if (text.lowercase()) {
            line = line.toLowerCase(Locale.ROOT);
        }
        String label = null;
        if (text.labelSeparator() != null) {
            if (line.isBlank()) {
                return;
            }
            int cut = line.lastIndexOf(text.labelSeparator());
            if (cut < 0) {
                throw DataException.at(file, number, "no separator " + visible(text.labelSeparator())
                        + " between the text and its class (data.text.labelSeparator)");
            }
            label = line.substring(cut + text.labelSeparator().length()).strip();
            line = line.substring(0, cut);
            if (line.isBlank()) {
                throw DataException.at(file, number, "empty text before the class '" + label + "'");
            }
            if (label.isEmpty()) {
                throw DataException.at(file, number, "no class after the separator " + visible(text.labelSeparator()));
            }
        } else if (text.mode() == TextMode.LINES && line.isBlank()) {
            return;
        }
        out.accept(new TextLine(tokenize(line, text.unit()), label, number));
    }

    /** Characters (code points), or words and single punctuation marks. */
    public static List<String> tokenize(String text, TextUnit unit) {
        List<String> tokens = new ArrayList<>();
        if (unit == TextUnit.CHARACTER) {
            text.codePoints().forEach(cp -> tokens.add(new String(Character.toChars(cp))));
        } else {
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                tokens.add(m.group());
            }
        }
        return tokens;
    }

    /**
     * Each file is split on its own, with a generator seeded by the run's seed, so a file's test lines are the ones a
     * run on that file alone would test on; the splits of several files ({@code data.paths}) are pooled in file order and
     * the test split remembers which lines came from which file ({@link SplitData#sources}).
     */
    private static SplitData classification(ExperimentConfig config, List<Path> files, List<List<TextLine>> perFile, ConfigLocations where) {
        DataConfig data = config.data();
        List<String> found = perFile.stream().flatMap(List::stream).map(TextLine::label).toList();
        List<String> classes = ClassLabels.classes(data.labels().classes(), found);
        Map<String, Integer> classIndex = index(classes);
        List<int[]> labelsPerFile = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            List<TextLine> lines = perFile.get(f);
            int[] labels = new int[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                Integer c = classIndex.get(ClassLabels.canonical(lines.get(i).label()));
                if (c == null) {
                    throw DataException.at(files.get(f), lines.get(i).line(), "class '" + lines.get(i).label() + "' is not one of " + classes
                            + " (declared in data.labels.classes)");
                }
                labels[i] = c;
            }
            labelsPerFile.add(labels);
        }
        if (classes.size() < 2) {
            throw where.error("data.labels", "classification needs at least two classes, found " + classes + " in "
                    + (files.size() == 1 ? files.get(0) : files));
        }
        List<int[][]> splits = labelsPerFile.stream().map(labels -> split(config, labels, classes.size())).toList();
        List<List<String>> training = new ArrayList<>();
        for (int f = 0; f < files.size(); f++) {
            pick(perFile.get(f), splits.get(f)[0]).forEach(line -> training.add(line.tokens()));
        }
        List<String> vocabulary = vocabulary(training, data.text().minCount(), false);
        Map<String, Integer> tokenIndex = index(vocabulary);
        List<double[][]> all = new ArrayList<>(); // every line in file order, for the fingerprint
        perFile.forEach(lines -> lines.forEach(line -> all.add(encodeLine(line.tokens(), data.text().sequenceLength(), tokenIndex))));
        int[] allLabels = labelsPerFile.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        int total = allLabels.length;
        SequenceSet[] sets = new SequenceSet[3];
        String[] names = {"train", "validation", "test"};
        List<SplitData.Source> sources = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<double[][]> sequences = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            int start = 0;
            for (int f = 0; f < files.size(); f++) {
                int[] part = splits.get(f)[p];
                for (int i : part) {
                    sequences.add(all.get(start + i));
                    labels.add(allLabels[start + i]);
                }
                if (p == 2) {
                    sources.add(new SplitData.Source(files.get(f).getFileName().toString(), part.length));
                }
                start += perFile.get(f).size();
            }
            sets[p] = SequenceSet.classified(sequences, labels.stream().mapToInt(Integer::intValue).toArray());
            if (p != 1 || data.split().validation() > 0) {
                DatasetLoader.requireNonEmpty(sets[p], names[p], total, where);
            }
        }
        SplitData split = new SplitData(sets[0], sets[1], sets[2], classes, List.of("token"),
                DatasetLoader.fingerprint(vocabulary, SequenceSet.classified(all, allLabels)), null, vocabulary);
        return files.size() > 1 ? split.withSources(sources) : split;
    }

    /**
     * A file's split, with a generator seeded by the run's seed afresh for each file: a file's test lines are those a run on
     * that file alone tests on, whichever files are pooled with it.
     */
    private static int[][] split(ExperimentConfig config, int[] labels, int classCount) {
        SplitConfig s = config.data().split();
        return Splits.split(labels.length, s.stratify() ? labels : null, classCount, new double[]{s.train(), s.validation(), s.test()},
                new Random(config.seed()));
    }

    private static SplitData linesForGeneration(ExperimentConfig config, List<TextLine> lines, ConfigLocations where) {
        DataConfig data = config.data();
        int[][] parts = Splits.split(lines.size(), null, 1, new double[]{data.split().train(), data.split().validation(), data.split().test()},
                new Random(config.seed()));
        List<String> vocabulary = vocabulary(pick(lines, parts[0]).stream().map(TextLine::tokens).toList(), data.text().minCount(), true);
        Map<String, Integer> index = index(vocabulary);
        int keep = data.text().sequenceLength();
        SequenceSet[] sets = new SequenceSet[3];
        String[] names = {"train", "validation", "test"};
        for (int p = 0; p < 3; p++) {
            List<double[][]> inputs = new ArrayList<>();
            List<int[]> targets = new ArrayList<>();
            for (TextLine line : pick(lines, parts[p])) {
                List<String> tokens = new ArrayList<>();
                tokens.add(BOUNDARY);
                tokens.addAll(line.tokens().subList(0, Math.min(line.tokens().size(), keep)));
                tokens.add(BOUNDARY);
                shifted(tokens, index, inputs, targets);
            }
            sets[p] = SequenceSet.classifiedPerStep(inputs, targets);
            if (p != 1 || data.split().validation() > 0) {
                DatasetLoader.requireNonEmpty(sets[p], names[p], lines.size(), where);
            }
        }
        return new SplitData(sets[0], sets[1], sets[2], vocabulary, List.of("token"),
                DatasetLoader.fingerprint(vocabulary, sets[0], sets[1], sets[2]), null, vocabulary);
    }

    private static SplitData streamForGeneration(ExperimentConfig config, List<TextLine> lines, ConfigLocations where) {
        DataConfig data = config.data();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            tokens.addAll(lines.get(i).tokens());
            if (i < lines.size() - 1 || data.text().unit() == TextUnit.CHARACTER) {
                tokens.add(BOUNDARY);
            }
        }
        long[][] bounds = streamBounds(tokens.size(), data.split());
        List<String> vocabulary = vocabulary(List.of(tokens.subList(0, (int) bounds[0][1])), data.text().minCount(), false);
        Map<String, Integer> index = index(vocabulary);
        int length = data.text().sequenceLength();
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            List<double[][]> inputs = new ArrayList<>();
            List<int[]> targets = new ArrayList<>();
            for (int k = 0, chunks = chunks(bounds[p], length); k < chunks; k++) {
                int start = (int) (bounds[p][0] + (long) k * length);
                shifted(tokens.subList(start, start + length + 1), index, inputs, targets);
            }
            sets[p] = SequenceSet.classifiedPerStep(inputs, targets);
            requireChunks(sets[p].size(), p, bounds[p], length, data.split(), where);
        }
        return new SplitData(sets[0], sets[1], sets[2], vocabulary, List.of("token"),
                DatasetLoader.fingerprint(vocabulary, sets[0], sets[1], sets[2]), null, vocabulary);
    }

    /** The token ranges {@code [from, to)} of the training, validation and test text in a stream of {@code n} tokens, in that order. */
    static long[][] streamBounds(long n, SplitConfig split) {
        long validationStart = Math.round(split.train() * n);
        long testStart = Math.round((split.train() + split.validation()) * n);
        return new long[][]{{0, validationStart}, {validationStart, testStart}, {testStart, n}};
    }

    /** How many chunks of {@code length + 1} tokens, overlapping by one, a range of the stream holds. */
    static int chunks(long[] range, int length) {
        long tokens = range[1] - range[0];
        return tokens < length + 1 ? 0 : Math.toIntExact((tokens - length - 1) / length + 1);
    }

    /** Fails for an empty training or test part (or validation, when asked for) of the stream. */
    static void requireChunks(int chunks, int part, long[] range, int length, SplitConfig split, ConfigLocations where) {
        String[] names = {"train", "validation", "test"};
        if (chunks == 0 && (part != 1 || split.validation() > 0)) {
            throw where.error("data.split." + names[part], "the " + names[part] + " part of the text (" + (range[1] - range[0])
                    + " tokens) holds no sequence of data.text.sequenceLength + 1 = " + (length + 1) + " tokens");
        }
    }

    /**
     * A line of text to classify as the classifier read its training lines: lower-cased when the config says so,
     * tokenized, cut to {@code data.text.sequenceLength} tokens, and every token outside the vocabulary read as
     * {@link #UNKNOWN}; a line without tokens is the single unknown token.
     */
    public static double[][] encodeLine(String line, TextConfig text, Map<String, Integer> index) {
        return encodeLine(tokenize(text.lowercase() ? line.toLowerCase(Locale.ROOT) : line, text.unit()), text.sequenceLength(), index);
    }

    static double[][] encodeLine(List<String> tokens, int maxTokens, Map<String, Integer> index) {
        List<String> kept = tokens.isEmpty() ? List.of(UNKNOWN) : tokens;
        return encode(kept.subList(0, Math.min(kept.size(), maxTokens)), index);
    }

    /** Reads tokens[0..n-1) and predicts tokens[1..n): next-token prediction at every step. */
    private static void shifted(List<String> tokens, Map<String, Integer> index, List<double[][]> inputs, List<int[]> targets) {
        inputs.add(encode(tokens.subList(0, tokens.size() - 1), index));
        int[] next = new int[tokens.size() - 1];
        for (int t = 1; t < tokens.size(); t++) {
            next[t - 1] = indexOf(tokens.get(t), index);
        }
        targets.add(next);
    }

    /**
     * The training tokens seen at least {@code minCount} times, sorted, then {@link #UNKNOWN}; with the
     * boundary first for line generation.
     */
    static List<String> vocabulary(List<List<String>> training, int minCount, boolean boundary) {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (List<String> tokens : training) {
            for (String token : tokens) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        return vocabulary(counts, minCount, boundary);
    }

    /** {@link #vocabulary(List, int, boolean)} from the training tokens' counts, in token order (a sorted map). */
    static List<String> vocabulary(java.util.SortedMap<String, Integer> counts, int minCount, boolean boundary) {
        List<String> vocabulary = new ArrayList<>();
        if (boundary) {
            vocabulary.add(BOUNDARY);
        }
        counts.forEach((token, count) -> {
            if (count >= minCount && !vocabulary.contains(token)) {
                vocabulary.add(token);
            }
        });
        vocabulary.add(UNKNOWN);
        return vocabulary;
    }

    public static Map<String, Integer> index(List<String> vocabulary) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i);
        }
        return index;
    }

    private static int indexOf(String token, Map<String, Integer> index) {
        Integer i = index.get(token);
        return i != null ? i : index.get(UNKNOWN);
    }

    private static double[][] encode(List<String> tokens, Map<String, Integer> index) {
        double[][] out = new double[tokens.size()][1];
        for (int t = 0; t < tokens.size(); t++) {
            out[t][0] = indexOf(tokens.get(t), index);
        }
        return out;
    }

    static <T> List<T> pick(List<T> all, int[] indices) {
        List<T> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }

    private static String visible(String separator) {
        return separator.replace("\t", "\\t");
    }
}
