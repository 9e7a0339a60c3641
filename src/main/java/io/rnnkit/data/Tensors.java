package io.rnnkit.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Sequences as DL4J tensors: features {@code [n, features, T]} padded at the end to the longest sequence,
 * with a feature mask {@code [n, T]} when lengths differ (LastTimeStep then picks each sequence's own last
 * step); labels {@code [n, classes]} one-hot, or {@code [n, targets]} for regression; per-step labels are
 * {@code [n, outputs, T]} with the same mask as the features, so padding carries no loss.
 */
public final class Tensors {
    private Tensors() {
    }

    /** Features of a batch and their mask (null when every sequence has the same length). */
    public record Features(INDArray values, INDArray mask) {
    }

    public static DataSet dataSet(SequenceSet set, int outputs) {
        return dataSet(set, outputs, false);
    }

    /**
     * @param sparseLabels per-step classes as indices {@code [n, 1, T]} (for a sparse cross-entropy over a large
     *                     vocabulary) rather than one-hot {@code [n, classes, T]}
     */
    public static DataSet dataSet(SequenceSet set, int outputs, boolean sparseLabels) {
        return dataSet(set, outputs, sparseLabels, null);
    }

    /**
     * {@link #dataSet(SequenceSet, int, boolean)} with each sequence's features and regression targets scaled by a
     * scaler of its own ({@code scalers.apply(i)}; null: unscaled), as a per-series normalizer scales them.
     */
    public static DataSet dataSet(SequenceSet set, int outputs, boolean sparseLabels, IntFunction<Scaler> scalers) {
        return dataSet(set, outputs, sparseLabels, scalers, 0, false);
    }

    /**
     * Some sequences of a larger set as rows of that set's tensors would be: {@code steps} wide and masked when the set's
     * lengths vary, whatever this batch's lengths (a streamed minibatch then holds the very values, and the network does
     * the very arithmetic, of the minibatch {@code DataSet.get} takes from the whole set's tensors).
     */
    static DataSet dataSet(SequenceSet set, int outputs, boolean sparseLabels, int steps, boolean masked) {
        return dataSet(set, outputs, sparseLabels, null, steps, masked);
    }

    static DataSet dataSet(SequenceSet set, int outputs, boolean sparseLabels, IntFunction<Scaler> scalers, int minSteps,
                                   boolean masked) {
        int n = set.size();
        // the set's own list: windows of a series are cut one at a time as the tensor is filled, never all at once
        List<double[][]> sequences = set.sequences();
        Scaler identity = Scaler.of(null);
        IntFunction<Scaler> scalerOf = scalers == null ? i -> identity : scalers;
        Features features = features(sequences, set.features(), scalerOf, minSteps, masked);
        int steps = (int) features.values().size(2);
        int labelSteps = set.perStep() ? steps : 1;
        boolean sparse = sparseLabels && set.perStep() && set.isClassification();
        int labelRows = sparse ? 1 : outputs;
        float[] y = new float[n * labelRows * labelSteps];
        for (int i = 0; i < n; i++) {
            // sequence i's labels read once: a streamed set reads (or a series' windows compute) them on every call
            int[] classes = set.isClassification() ? set.classesOf(i) : null;
            double[][] targets = classes == null ? set.targetsOf(i) : null;
            int stepsOf = classes != null ? classes.length : targets.length; // per step: as many as the sequence's steps
            for (int t = 0; t < stepsOf; t++) {
                if (sparse) {
                    // an unlabelled step (masked out) still needs a valid index for the loss to compute
                    y[i * labelSteps + t] = Math.max(classes[t], 0);
                } else if (classes != null) {
                    y[(i * outputs + classes[t]) * labelSteps + t] = 1f;
                } else {
                    double[] target = targets[t];
                    Scaler scaler = scalerOf.apply(i);
                    for (int k = 0; k < outputs; k++) {
                        y[(i * outputs + k) * labelSteps + t] = scaler.label(k, target[k]);
                    }
                }
            }
        }
        INDArray labels = set.perStep() ? Nd4j.create(y, new long[]{n, labelRows, steps}, 'c') : Nd4j.create(y, new long[]{n, outputs}, 'c');
        return new DataSet(features.values(), labels, features.mask(), set.perStep() ? labelMask(set, features.mask(), steps) : null);
    }

    /**
     * The feature mask, with steps whose class is {@link DelayedPairs#NO_LABEL} (the source of a
     * sequence-to-sequence pair) masked out too; the feature mask itself (possibly null) when every step has a label.
     */
    private static INDArray labelMask(SequenceSet set, INDArray featureMask, int steps) {
        if (!set.isClassification()) {
            return featureMask;
        }
        float[] mask = null;
        for (int i = 0; i < set.size(); i++) {
            int[] classes = set.classesOf(i);
            for (int t = 0; t < classes.length; t++) {
                if (classes[t] == DelayedPairs.NO_LABEL) {
                    if (mask == null) {
                        mask = featureMask != null ? featureMask.dup('c').data().asFloat() : filled(set.size() * steps);
                    }
                    mask[i * steps + t] = 0f;
                }
            }
        }
        return mask == null ? featureMask : Nd4j.create(mask, new long[]{set.size(), steps}, 'c');
    }

    private static float[] filled(int n) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }

    /**
     * Sequences {@code [T][features]} as one float batch, each value passed through {@code scaler} on the way
     * (so that no second pass over a native array is needed to normalize it).
     */
    public static Features features(List<double[][]> sequences, int features, Scaler scaler) {
        return features(sequences, features, i -> scaler);
    }

    /** {@link #features(List, int, Scaler)} with a scaler per sequence ({@code scalers.apply(i)} for sequence i). */
    public static Features features(List<double[][]> sequences, int features, IntFunction<Scaler> scalers) {
        return features(sequences, features, scalers, 0, false);
    }

    private static Features features(List<double[][]> sequences, int features, IntFunction<Scaler> scalers, int minSteps, boolean masked) {
        int n = sequences.size();
        int steps = minSteps;
        int shortest = Integer.MAX_VALUE;
        for (double[][] sequence : sequences) {
            steps = Math.max(steps, sequence.length);
            shortest = Math.min(shortest, sequence.length);
        }
        boolean variable = masked || shortest != steps;
        float[] x = new float[n * features * steps];
        float[] mask = variable ? new float[n * steps] : null;
        for (int i = 0; i < n; i++) {
            double[][] sequence = sequences.get(i);
            Scaler scaler = scalers.apply(i);
            for (int t = 0; t < sequence.length; t++) {
                for (int f = 0; f < features; f++) {
                    x[(i * features + f) * steps + t] = scaler.feature(f, sequence[t][f]);
                }
                if (variable) {
                    mask[i * steps + t] = 1f;
                }
            }
        }
        INDArray values = Nd4j.create(x, new long[]{n, features, steps}, 'c');
        return new Features(values, variable ? Nd4j.create(mask, new long[]{n, steps}, 'c') : null);
    }
}
