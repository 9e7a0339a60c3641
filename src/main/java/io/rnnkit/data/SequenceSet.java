package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled sequences in memory, before they become tensors. Each sequence is {@code [T][features]};
 * a classification set has a class index per sequence, a regression set a target vector per sequence.
 */
public final class SequenceSet {
    private final List<double[][]> sequences;
    private final int[] classes;
    private final double[][] targets;

    private SequenceSet(List<double[][]> sequences, int[] classes, double[][] targets) {
        this.sequences = List.copyOf(sequences);
        this.classes = classes;
        this.targets = targets;
    }

    public static SequenceSet classified(List<double[][]> sequences, int[] classes) {
        if (sequences.size() != classes.length) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + classes.length + " labels");
        }
        return new SequenceSet(sequences, classes.clone(), null);
    }

    public static SequenceSet regressed(List<double[][]> sequences, double[][] targets) {
        if (sequences.size() != targets.length) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + targets.length + " targets");
        }
        return new SequenceSet(sequences, null, targets.clone());
    }

    public int size() {
        return sequences.size();
    }

    public boolean isClassification() {
        return classes != null;
    }

    public double[][] sequence(int i) {
        return sequences.get(i);
    }

    public int classOf(int i) {
        return classes[i];
    }

    public double[] target(int i) {
        return targets[i];
    }

    /** Width of a regression target; 0 for classification. */
    public int targetWidth() {
        return targets == null || targets.length == 0 ? 0 : targets[0].length;
    }

    public int features() {
        return sequences.isEmpty() ? 0 : sequences.get(0)[0].length;
    }

    public int maxLength() {
        return sequences.stream().mapToInt(s -> s.length).max().orElse(0);
    }

    public int minLength() {
        return sequences.stream().mapToInt(s -> s.length).min().orElse(0);
    }

    public SequenceSet subset(int[] indices) {
        List<double[][]> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            picked.add(sequences.get(i));
        }
        if (classes != null) {
            int[] c = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                c[k] = classes[indices[k]];
            }
            return new SequenceSet(picked, c, null);
        }
        double[][] t = new double[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            t[k] = targets[indices[k]];
        }
        return new SequenceSet(picked, null, t);
    }

    /** Number of sequences per class (classification only). */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int c : classes) {
            counts[c]++;
        }
        return counts;
    }
}
