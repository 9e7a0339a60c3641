package io.rnnkit.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each class counts in the cross-entropy ({@code training.classWeights}): {@code none} (every class 1),
 * {@code balanced} (the inverse of each class's frequency among the training labels, per step for per-step
 * labels: {@code N / (K · n_c)}, so a rare class weighs as much in all as a common one), or an explicit weight per
 * class name ({@code {normal: 1, anomaly: 20}}; classes not named weigh 1). Written in YAML as that word or
 * section; {@link RecordBinder} and {@link YamlTrees#toPlain} know this one non-record value.
 *
 * @param balanced whether the weights are the inverse class frequencies of the training split
 * @param weights  explicit weights by class name (empty for none and balanced)
 */
public record ClassWeights(boolean balanced, Map<String, Double> weights) {
    public static final ClassWeights NONE = new ClassWeights(false, Map.of());
    public static final ClassWeights BALANCED = new ClassWeights(true, Map.of());
    static final List<String> WORDS = List.of("none", "balanced");

    public ClassWeights {
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        if (balanced && !weights.isEmpty()) {
            throw new IllegalArgumentException("balanced weights are computed, not given");
        }
        weights.forEach((name, w) -> {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException(name + ": a class weight must be a finite number > 0, got " + w);
            }
        });
    }

    public boolean none() {
        return !balanced && weights.isEmpty();
    }

    /** The YAML form: the word, or the section of weights by class name. */
    Object toPlain() {
        return balanced ? "balanced" : weights.isEmpty() ? "none" : new LinkedHashMap<>(weights);
    }

    /**
     * The weight of each class, in class order, or null for none: balanced from the training labels' counts
     * (a class the training split never holds weighs 1, as it is never a target there), else the named weights.
     *
     * @param counts training labels per class (per step for per-step labels)
     * @throws IllegalArgumentException naming a weighted class that is not a class of the data
     */
    public double[] resolve(List<String> classes, long[] counts) {
        if (none()) {
            return null;
        }
        double[] out = new double[classes.size()];
        if (balanced) {
            long total = 0;
            int present = 0;
            for (long c : counts) {
                total += c;
                present += c > 0 ? 1 : 0;
            }
            for (int c = 0; c < out.length; c++) {
                out[c] = counts[c] == 0 ? 1 : (double) total / ((double) present * counts[c]);
            }
            return out;
        }
        List<String> unknown = new ArrayList<>(weights.keySet());
        unknown.removeAll(classes);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.get(0) + ": not a class of the data " + classes
                    + YamlNames.didYouMean(unknown.get(0), classes));
        }
        for (int c = 0; c < out.length; c++) {
            out[c] = weights.getOrDefault(classes.get(c), 1.0);
        }
        return out;
    }
}
