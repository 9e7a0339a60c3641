package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.GeneratorConfig;
import io.rnnkit.config.TextConfig;
import io.rnnkit.config.TextUnit;
import io.rnnkit.config.TranslationConfig;
import io.rnnkit.config.UnknownSymbols;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Pairs of symbol sequences for sequence to sequence ({@code task.topology: sequence-to-sequence}): read from
 * a text file whose every line is {@code source TAB target} (DataVec's LineRecordReader, via
 * {@link TextRecords#rawLines}), or made by a generator ({@link TranslationTasks}). Symbols are characters or
 * words ({@code data.text.unit}; generated pairs are characters). The pairs are split at random (seeded), the
 * two vocabularies are built from the training split, and each pair becomes one sequence in the delayed form
 * of {@link DelayedPairs}. Every fault names the line (or the generated pair) and the field to change.
 */
public final class PairsLayout {
    /** Separates the source from the target on a line. */
    public static final String TAB = "\t";

    private PairsLayout() {
    }

    /**
     * A pair of symbol sequences and where it came from ("file:line", or "generated pair k"), told when a fault needs it (the
     * streaming path finds a cached pair's line only then).
     */
    record Pair(List<String> source, List<String> target, java.util.function.Supplier<String> where) {
        String origin() {
            return where.get();
        }
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        TranslationConfig limits = config.task().translation();
        List<Pair> pairs = data.format() == DataFormat.GENERATED ? generated(config) : read(DataPaths.resolve(data.path()), data.text());
        if (pairs.isEmpty()) {
            throw new DataException(data.path() + ": no pairs (every line must be a source, a tab and a target)");
        }
        for (Pair pair : pairs) {
            requireWithin(pair, limits);
        }
        int[][] parts = Splits.split(pairs.size(), null, 1,
                new double[]{data.split().train(), data.split().validation(), data.split().test()}, new Random(config.seed()));
        List<Pair> training = TextLayout.pick(pairs, parts[0]);
        DelayedPairs form = DelayedPairs.fromTraining(training.stream().map(Pair::source).toList(),
                training.stream().map(Pair::target).toList());
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            List<double[][]> inputs = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            for (Pair pair : TextLayout.pick(pairs, parts[p])) {
                requireKnown(pair, form, limits, NAMES[p]);
                int[] target = form.encodeTarget(pair.target());
                inputs.add(form.input(form.encodeSource(pair.source()), target));
                labels.add(DelayedPairs.labels(pair.source().size(), target));
            }
            sets[p] = SequenceSet.classifiedPerStep(inputs, labels);
            requireNonEmpty(sets[p], p, pairs.size(), data, where);
        }
        List<String> input = form.inputVocabulary();
        return new SplitData(sets[0], sets[1], sets[2], form.outputClasses(), List.of("symbol"),
                DatasetLoader.fingerprint(input, sets[0], sets[1], sets[2]), null, input);
    }

    /** The names of the three splits, in {@link Splits#split}'s order. */
    static final String[] NAMES = {"train", "validation", "test"};

    /** Split p must hold pairs (the validation split only when it is asked for). */
    static void requireNonEmpty(SequenceSet set, int p, int pairs, DataConfig data, ConfigLocations where) {
        if (p != 1 || data.split().validation() > 0) {
            DatasetLoader.requireNonEmpty(set, NAMES[p], pairs, where);
        }
    }

    /** Every line {@code source TAB target}; empty lines and lines without a tab are errors, as they are not pairs. */
    static List<Pair> read(Path file, TextConfig text) {
        List<Pair> pairs = new ArrayList<>();
        eachPair(file, text, (pair, line) -> pairs.add(pair));
        return pairs;
    }

    /** {@link #read} one line at a time, each pair with its line number (the streaming path's cache is written from them). */
    static void eachPair(Path file, TextConfig text, java.util.function.ObjLongConsumer<Pair> out) {
        try (TextRecords.Lines lines = TextRecords.rawLineIterator(file)) {
            while (lines.hasNext()) {
                TextRecords.Line record = lines.next();
                out.accept(pair(file, text, record), record.number());
            }
        }
    }

    /** Where the k-th pair of a file (from 0) is, "file:line": every line read is a pair, or a fault. */
    static String origin(Path file, int k) {
        try (TextRecords.Lines lines = TextRecords.rawLineIterator(file)) {
            for (int i = 0; i < k; i++) {
                lines.next();
            }
            return file + ":" + lines.next().number();
        }
    }

    private static Pair pair(Path file, TextConfig text, TextRecords.Line record) {
        String line = record.fields().get(0);
        if (text.lowercase()) {
            line = line.toLowerCase(Locale.ROOT);
        }
        if (line.isBlank()) {
            throw DataException.at(file, record.number(), "empty line; every line must be a source, a tab and a target");
        }
        int tab = line.indexOf(TAB);
        if (tab < 0) {
            throw DataException.at(file, record.number(), "no tab between the source and the target in '" + shorten(line) + "'");
        }
        if (line.indexOf(TAB, tab + 1) >= 0) {
            throw DataException.at(file, record.number(), "more than one tab; a line is one source, a tab and one target");
        }
        String source = line.substring(0, tab);
        String target = line.substring(tab + 1);
        if (source.isBlank()) {
            throw DataException.at(file, record.number(), "empty source before the tab");
        }
        if (target.isBlank()) {
            throw DataException.at(file, record.number(), "empty target after the tab");
        }
        String origin = file + ":" + record.number();
        return new Pair(TextLayout.tokenize(source, text.unit()), TextLayout.tokenize(target, text.unit()), () -> origin);
    }

    private static List<Pair> generated(ExperimentConfig config) {
        GeneratorConfig g = config.data().generator();
        List<String[]> raw = switch (g.kind()) {
            case DATES -> TranslationTasks.dates(g.samplesPerClass(), config.seed());
            case ADDITION -> TranslationTasks.addition(g.samplesPerClass(), g.length(), config.seed());
            case REVERSAL -> TranslationTasks.reversal(g.samplesPerClass(), g.length(), config.seed());
            default -> throw new IllegalStateException(g.kind() + " does not make pairs");
        };
        List<Pair> pairs = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String origin = "generated pair " + (i + 1) + " ('" + raw.get(i)[0] + "', data.generator)";
            pairs.add(new Pair(TextLayout.tokenize(raw.get(i)[0], TextUnit.CHARACTER), TextLayout.tokenize(raw.get(i)[1], TextUnit.CHARACTER),
                    () -> origin));
        }
        return pairs;
    }

    /** The pair's source and target within task.translation's limits. */
    static void requireWithin(Pair pair, TranslationConfig limits) {
        requireWithin(pair, pair.source(), limits.maxSourceLength(), "source", "maxSourceLength");
        requireWithin(pair, pair.target(), limits.maxTargetLength(), "target", "maxTargetLength");
    }

    /** With unknownSymbols: reject, every symbol of a pair of split {@code split} in the training vocabularies. */
    static void requireKnown(Pair pair, DelayedPairs form, TranslationConfig limits, String split) {
        if (limits.unknownSymbols() == UnknownSymbols.REJECT) {
            requireKnown(pair, pair.source(), form, false, split);
            requireKnown(pair, pair.target(), form, true, split);
        }
    }

    private static void requireWithin(Pair pair, List<String> symbols, int limit, String side, String field) {
        if (symbols.size() > limit) {
            throw new DataException(pair.origin() + ": the " + side + " has " + symbols.size() + " symbols, more than task.translation."
                    + field + " = " + limit + "; raise the limit or shorten the line");
        }
    }

    private static void requireKnown(Pair pair, List<String> symbols, DelayedPairs form, boolean targetSide, String split) {
        int at = form.firstUnknown(symbols, targetSide);
        if (at >= 0) {
            String side = targetSide ? "target" : "source";
            throw new DataException(pair.origin() + ": " + side + " symbol '" + symbols.get(at).replace("\t", "\\t") + "' at position " + at
                    + " is not in the " + side + " vocabulary (the symbols of the training split; this pair is in the " + split
                    + " split); set task.translation.unknownSymbols: unknown to read such symbols as " + TextLayout.UNKNOWN);
        }
    }

    private static String shorten(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
