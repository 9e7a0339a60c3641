package io.rnnkit.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sequences as DL4J tensors: features {@code [n, features, T]} padded at the end to the longest sequence,
 * with a feature mask {@code [n, T]} when lengths differ (LastTimeStep then picks each sequence's own last
 * step); labels {@code [n, classes]} one-hot, or {@code [n, targets]} for regression; per-step labels are
 * {@code [n, outputs, T]} with the same mask as the features, so padding carries no loss.
 */
public final class Tensors {
    private Tensors() {
    }

    public static DataSet dataSet(SequenceSet set, int outputs) {
        return dataSet(set, outputs, false);
    }

    /**
     * @param sparseLabels per-step classes as indices {@code [n, 1, T]} (for a sparse cross-entropy over a large
     *                     vocabulary) rather than one-hot {@code [n, classes, T]}
     */
    public static DataSet dataSet(SequenceSet set, int outputs, boolean sparseLabels) {
        int n = set.size();
        int features = set.features();
        int steps = set.maxLength();
        boolean variable = set.minLength() != steps;
        int labelSteps = set.perStep() ? steps : 1;
        boolean sparse = sparseLabels && set.perStep() && set.isClassification();
        int labelRows = sparse ? 1 : outputs;
        float[] x = new float[n * features * steps];
        float[] mask = variable ? new float[n * steps] : null;
        float[] y = new float[n * labelRows * labelSteps];
        for (int i = 0; i < n; i++) {
            double[][] sequence = set.sequence(i);
            for (int t = 0; t < sequence.length; t++) {
                for (int f = 0; f < features; f++) {
                    x[(i * features + f) * steps + t] = (float) sequence[t][f];
                }
                if (variable) {
                    mask[i * steps + t] = 1f;
                }
            }
            for (int t = 0; t < (set.perStep() ? sequence.length : 1); t++) {
                if (sparse) {
                    y[i * labelSteps + t] = set.classAt(i, t);
                } else if (set.isClassification()) {
                    y[(i * outputs + set.classAt(i, t)) * labelSteps + t] = 1f;
                } else {
                    double[] target = set.targetAt(i, t);
                    for (int k = 0; k < outputs; k++) {
                        y[(i * outputs + k) * labelSteps + t] = (float) target[k];
                    }
                }
            }
        }
        INDArray featureArray = Nd4j.create(x, new long[]{n, features, steps}, 'c');
        INDArray labelArray = set.perStep() ? Nd4j.create(y, new long[]{n, labelRows, steps}, 'c') : Nd4j.create(y, new long[]{n, outputs}, 'c');
        INDArray maskArray = variable ? Nd4j.create(mask, new long[]{n, steps}, 'c') : null;
        return new DataSet(featureArray, labelArray, maskArray, set.perStep() ? maskArray : null);
    }

    /** One sequence {@code [T][features]} as a batch of one, {@code [1, features, T]}. */
    public static INDArray single(double[][] sequence) {
        int steps = sequence.length;
        int features = sequence[0].length;
        float[] x = new float[features * steps];
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < features; f++) {
                x[f * steps + t] = (float) sequence[t][f];
            }
        }
        return Nd4j.create(x, new long[]{1, features, steps}, 'c');
    }
}
