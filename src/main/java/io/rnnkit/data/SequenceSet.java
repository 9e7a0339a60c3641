package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled sequences in memory, before they become tensors. Each sequence is {@code [T][features]}. Labels
 * are a class index or a target vector, either one per sequence (many-to-one) or one per time step
 * (many-to-many, {@link #perStep()}); a per-sequence label is stored as a label for a single step.
 */
public final class SequenceSet {
    private final List<double[][]> sequences;
    private final List<int[]> classes;
    private final List<double[][]> targets;
    private final boolean perStep;
    /** For windows cut from a series: where in the series each window's first target lies; else null. */
    private final int[] origins;

    private SequenceSet(List<double[][]> sequences, List<int[]> classes, List<double[][]> targets, boolean perStep) {
        this(sequences, classes, targets, perStep, null);
    }

    private SequenceSet(List<double[][]> sequences, List<int[]> classes, List<double[][]> targets, boolean perStep, int[] origins) {
        this.sequences = List.copyOf(sequences);
        this.origins = origins == null ? null : origins.clone();
        if (origins != null && origins.length != sequences.size()) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + origins.length + " origins");
        }
        this.classes = classes == null ? null : List.copyOf(classes);
        this.targets = targets == null ? null : List.copyOf(targets);
        this.perStep = perStep;
        int labels = classes != null ? classes.size() : targets.size();
        if (labels != sequences.size()) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + labels + " labels");
        }
        if (perStep) {
            for (int i = 0; i < sequences.size(); i++) {
                int steps = classes != null ? classes.get(i).length : targets.get(i).length;
                if (steps != sequences.get(i).length) {
                    throw new IllegalArgumentException("sequence " + i + " has " + sequences.get(i).length + " steps but " + steps + " labels");
                }
            }
        }
    }

    /** One class per sequence. */
    public static SequenceSet classified(List<double[][]> sequences, int[] classes) {
        List<int[]> wrapped = new ArrayList<>(classes.length);
        for (int c : classes) {
            wrapped.add(new int[]{c});
        }
        return new SequenceSet(sequences, wrapped, null, false);
    }

    /** One class per time step: {@code classes.get(i)[t]}. */
    public static SequenceSet classifiedPerStep(List<double[][]> sequences, List<int[]> classes) {
        return new SequenceSet(sequences, classes, null, true);
    }

    /** One target vector per sequence. */
    public static SequenceSet regressed(List<double[][]> sequences, double[][] targets) {
        List<double[][]> wrapped = new ArrayList<>(targets.length);
        for (double[] t : targets) {
            wrapped.add(new double[][]{t});
        }
        return new SequenceSet(sequences, null, wrapped, false);
    }

    /**
     * Forecast windows cut from a series: one target vector per window, and each window's origin, the index in
     * the series of its first target (what a baseline that reads the series itself needs).
     */
    public static SequenceSet windows(List<double[][]> sequences, double[][] targets, int[] origins) {
        SequenceSet plain = regressed(sequences, targets);
        return new SequenceSet(plain.sequences, null, plain.targets, false, origins);
    }

    /** One target vector per time step: {@code targets.get(i)[t]}. */
    public static SequenceSet regressedPerStep(List<double[][]> sequences, List<double[][]> targets) {
        return new SequenceSet(sequences, null, targets, true);
    }

    public int size() {
        return sequences.size();
    }

    public boolean isClassification() {
        return classes != null;
    }

    /** True when there is a label at every time step. */
    public boolean perStep() {
        return perStep;
    }

    /** True for windows that know where in their series they were cut ({@link #windows}). */
    public boolean hasOrigins() {
        return origins != null;
    }

    /** Index in the series of window i's first target ({@link #windows} only). */
    public int origin(int i) {
        if (origins == null) {
            throw new IllegalStateException("these sequences were not cut from a series");
        }
        return origins[i];
    }

    public double[][] sequence(int i) {
        return sequences.get(i);
    }

    /** The class of sequence i (per-sequence labels). */
    public int classOf(int i) {
        return classes.get(i)[0];
    }

    /** The class at step t of sequence i (per-step labels), or of the sequence when labels are per sequence. */
    public int classAt(int i, int t) {
        return classes.get(i)[perStep ? t : 0];
    }

    /** The target of sequence i (per-sequence labels). */
    public double[] target(int i) {
        return targets.get(i)[0];
    }

    public double[] targetAt(int i, int t) {
        return targets.get(i)[perStep ? t : 0];
    }

    /** Width of a regression target; 0 for classification. */
    public int targetWidth() {
        return targets == null || targets.isEmpty() ? 0 : targets.get(0)[0].length;
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

    /** The same labels over other inputs, one per sequence, as long (categorical features made one-hot). */
    SequenceSet withSequences(List<double[][]> replaced) {
        return new SequenceSet(replaced, classes, targets, perStep, origins);
    }

    /** These sequences then {@code other}'s, of the same kind (cross-validation pools training and validation). */
    public SequenceSet concat(SequenceSet other) {
        if ((classes == null) != (other.classes == null) || perStep != other.perStep || (origins == null) != (other.origins == null)) {
            throw new IllegalArgumentException("cannot join sequences of different kinds");
        }
        List<double[][]> joined = new ArrayList<>(sequences);
        joined.addAll(other.sequences);
        List<int[]> joinedClasses = classes == null ? null : new ArrayList<>(classes);
        List<double[][]> joinedTargets = targets == null ? null : new ArrayList<>(targets);
        if (classes != null) {
            joinedClasses.addAll(other.classes);
        } else {
            joinedTargets.addAll(other.targets);
        }
        int[] joinedOrigins = null;
        if (origins != null) {
            joinedOrigins = java.util.Arrays.copyOf(origins, origins.length + other.origins.length);
            System.arraycopy(other.origins, 0, joinedOrigins, origins.length, other.origins.length);
        }
        return new SequenceSet(joined, joinedClasses, joinedTargets, perStep, joinedOrigins);
    }

    public SequenceSet subset(int[] indices) {
        List<double[][]> picked = new ArrayList<>(indices.length);
        List<int[]> pickedClasses = classes == null ? null : new ArrayList<>(indices.length);
        List<double[][]> pickedTargets = targets == null ? null : new ArrayList<>(indices.length);
        int[] pickedOrigins = origins == null ? null : new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (origins != null) {
                pickedOrigins[k] = origins[i];
            }
            picked.add(sequences.get(i));
            if (classes != null) {
                pickedClasses.add(classes.get(i));
            } else {
                pickedTargets.add(targets.get(i));
            }
        }
        return new SequenceSet(picked, pickedClasses, pickedTargets, perStep, pickedOrigins);
    }

    /**
     * Labels per class (classification only), each step's for per-step labels (a step without a label, such as a
     * translator's source step, is not counted): what the loss sums over, so what class weights balance.
     */
    public long[] labelCounts(int numClasses) {
        long[] counts = new long[numClasses];
        for (int[] labels : classes) {
            for (int c : labels) {
                if (c >= 0) {
                    counts[c]++;
                }
            }
        }
        return counts;
    }

    /**
     * Number of labels per class (classification only): sequences for per-sequence labels; for per-step
     * labels, sequences counted by their most frequent class, which is what a stratified split balances.
     */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int i = 0; i < size(); i++) {
            counts[stratum(i, numClasses)]++;
        }
        return counts;
    }

    /** The class a stratified split files sequence i under: its class, or its most frequent step class. */
    public int stratum(int i, int numClasses) {
        int[] labels = classes.get(i);
        if (labels.length == 1) {
            return labels[0];
        }
        int[] counts = new int[numClasses];
        int best = 0;
        for (int c : labels) {
            if (++counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }
}
