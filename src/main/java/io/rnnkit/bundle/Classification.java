package io.rnnkit.bundle;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A classifier's answer for one sequence: the most probable class and the probability of every class. */
public final class Classification {
    private final List<String> classes;
    private final double[] probabilities;
    private final int index;

    /** @param probabilities per class, in the order of {@code classes} */
    Classification(List<String> classes, double[] probabilities) {
        this.classes = classes;
        this.probabilities = probabilities;
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        this.index = best;
    }

    /** The most probable class (the first of equals). */
    public String label() {
        return classes.get(index);
    }

    /** Index of {@link #label()} in {@link #classes()}. */
    public int index() {
        return index;
    }

    /** The probability of each class, in the order of {@link #classes()}; a copy. */
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** The probability of the named class. */
    public double probability(String label) {
        int c = classes.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("no class '" + label + "'; the classes are " + classes);
        }
        return probabilities[c];
    }

    public List<String> classes() {
        return classes;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(label()).append(" (");
        for (int c = 0; c < classes.size(); c++) {
            text.append(c == 0 ? "" : ", ").append(classes.get(c)).append(String.format(Locale.ROOT, " %.3f", probabilities[c]));
        }
        return text.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Classification other && classes.equals(other.classes) && Arrays.equals(probabilities, other.probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + Arrays.hashCode(probabilities);
    }
}
