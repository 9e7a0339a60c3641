package io.rnnkit.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Sequences as DL4J tensors: features {@code [n, features, T]} padded at the end to the longest sequence,
 * with a feature mask {@code [n, T]} when lengths differ (LastTimeStep then picks each sequence's own last
 * step); labels {@code [n, classes]} one-hot, or {@code [n, targets]} for regression.
 */
public final class Tensors {
    private Tensors() {
    }

    /** Features of a batch and their mask (null when every sequence has the same length). */
    public record Features(INDArray values, INDArray mask) {
    }

    public static DataSet dataSet(SequenceSet set, int outputs) {
        int n = set.size();
        List<double[][]> sequences = new java.util.ArrayList<>(n);
        float[] y = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            sequences.add(set.sequence(i));
            if (set.isClassification()) {
                y[i * outputs + set.classOf(i)] = 1f;
            } else {
                double[] target = set.target(i);
                for (int k = 0; k < outputs; k++) {
                    y[i * outputs + k] = (float) target[k];
                }
            }
        }
        Features features = features(sequences, set.features(), Scaler.of(null));
        return new DataSet(features.values(), Nd4j.create(y, new long[]{n, outputs}, 'c'), features.mask(), null);
    }

    /**
     * Sequences {@code [T][features]} as one float batch, each value passed through {@code scaler} on the way
     * (so that no second pass over a native array is needed to normalize it).
     */
    public static Features features(List<double[][]> sequences, int features, Scaler scaler) {
        int n = sequences.size();
        int steps = 0;
        int shortest = Integer.MAX_VALUE;
        for (double[][] sequence : sequences) {
            steps = Math.max(steps, sequence.length);
            shortest = Math.min(shortest, sequence.length);
        }
        boolean variable = shortest != steps;
        float[] x = new float[n * features * steps];
        float[] mask = variable ? new float[n * steps] : null;
        for (int i = 0; i < n; i++) {
            double[][] sequence = sequences.get(i);
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
