package io.rnnkit.eval;

import io.rnnkit.config.TranslationConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.DelayedPairs;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.nn.SequenceDecoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequence-to-sequence metrics of a split, from the network's own decoded translations (not teacher-forced):
 * <ul>
 * <li>{@code exact_match}: the fraction of pairs whose translation is the target exactly;</li>
 * <li>{@code symbol_accuracy}: Σ matches at the same position / Σ max(|ŷ|, |y|), so a translation of the
 *     wrong length loses the positions it lacks or adds;</li>
 * <li>{@code edit_distance}: mean Levenshtein distance between translation and target, in symbols;</li>
 * <li>{@code symbol_error_rate}: Σ Levenshtein distances / Σ |y|.</li>
 * </ul>
 */
public final class TranslationEvaluator {
    private TranslationEvaluator() {
    }

    /** Pairs decoded at a time: what decoding holds of a split (its streamed pairs are read from the cache chunk by chunk). */
    static final int CHUNK = 4096;

    /** A split's pairs and their translations, as output classes (without the end). */
    public record Decoded(List<int[]> sources, List<int[]> targets, List<int[]> translations) {
    }

    /**
     * The teacher-forced metrics of a split with the decoded ones added in front, and the decoding of its first
     * {@code translation.samples()} pairs (the rest are decoded {@value #CHUNK} at a time, counted and let go).
     *
     * @param teacherForced {@link Evaluator#evaluate}'s metrics of the same split
     */
    public static Evaluated evaluate(SplitMetrics teacherForced, MultiLayerNetwork net, SequenceSet set, DelayedPairs form,
                                     TranslationConfig translation) {
        Tally tally = new Tally();
        Decoded first = null;
        for (int from = 0; from < set.size() || first == null; from += CHUNK) {
            Decoded decoded = decode(net, set, from, Math.min(set.size(), from + CHUNK), form, translation);
            tally.add(decoded.translations(), decoded.targets());
            if (first == null) {
                int keep = Math.min(translation.samples(), decoded.sources().size());
                first = new Decoded(decoded.sources().subList(0, keep), decoded.targets().subList(0, keep), decoded.translations().subList(0, keep));
            }
        }
        Map<String, Double> values = new LinkedHashMap<>(tally.metrics());
        values.putAll(teacherForced.values());
        return new Evaluated(new SplitMetrics(values, teacherForced.confusion()), first);
    }

    /** A split's metrics and the decoded translations of its first pairs. */
    public record Evaluated(SplitMetrics metrics, Decoded decoded) {
    }

    /** Decodes every pair of a split with the configured beam width. */
    public static Decoded decode(MultiLayerNetwork net, SequenceSet set, DelayedPairs form, TranslationConfig translation) {
        return decode(net, set, 0, set.size(), form, translation);
    }

    /** Decodes pairs {@code [from, to)} of a split. */
    private static Decoded decode(MultiLayerNetwork net, SequenceSet set, int from, int to, DelayedPairs form, TranslationConfig translation) {
        List<int[]> sources = new ArrayList<>(to - from);
        List<int[]> targets = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            double[][] sequence = set.sequence(i);
            sources.add(form.sourceOf(sequence));
            targets.add(DelayedPairs.targetOf(set.classesOf(i)));
        }
        SequenceDecoder decoder = new SequenceDecoder(net, form.separator(), translation.maxTargetLength());
        return new Decoded(sources, targets, decoder.decode(sources, translation.beamWidth()));
    }

    /**
     * The first {@code count} pairs as {@code source → translation}, with the target after a ✗ where they differ;
     * symbols joined by {@code joiner} ("" for characters, " " for words).
     */
    public static List<String> samples(Decoded decoded, DelayedPairs form, int count, String joiner) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(count, decoded.sources().size()); i++) {
            List<String> source = new ArrayList<>();
            for (int s : decoded.sources().get(i)) {
                source.add(form.source().get(s));
            }
            String translation = String.join(joiner, form.decodeTarget(decoded.translations().get(i)));
            boolean right = java.util.Arrays.equals(decoded.translations().get(i), decoded.targets().get(i));
            out.add(String.join(joiner, source) + "  →  " + translation
                    + (right ? "  ✓" : "  ✗ expected " + String.join(joiner, form.decodeTarget(decoded.targets().get(i)))));
        }
        return out;
    }

    /** The metrics above, keyed by name. */
    public static Map<String, Double> metrics(List<int[]> translations, List<int[]> targets) {
        Tally tally = new Tally();
        tally.add(translations, targets);
        return tally.metrics();
    }

    /** The sums the metrics are ratios of, added to a chunk of pairs at a time. */
    private static final class Tally {
        private long pairs;
        private long exact;
        private long matches;
        private long positions;
        private long distance;
        private long targetSymbols;

        void add(List<int[]> translations, List<int[]> targets) {
            for (int i = 0; i < targets.size(); i++) {
                int[] y = targets.get(i);
                int[] yHat = translations.get(i);
                exact += java.util.Arrays.equals(y, yHat) ? 1 : 0;
                for (int t = 0; t < Math.min(y.length, yHat.length); t++) {
                    matches += y[t] == yHat[t] ? 1 : 0;
                }
                positions += Math.max(y.length, yHat.length);
                distance += YamlNames.editDistance(yHat, y);
                targetSymbols += y.length;
            }
            pairs += targets.size();
        }

        Map<String, Double> metrics() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("exact_match", pairs == 0 ? Double.NaN : (double) exact / pairs);
            out.put("symbol_accuracy", positions == 0 ? Double.NaN : (double) matches / positions);
            out.put("edit_distance", pairs == 0 ? Double.NaN : (double) distance / pairs);
            out.put("symbol_error_rate", targetSymbols == 0 ? Double.NaN : (double) distance / targetSymbols);
            return out;
        }
    }
}
