package io.rnnkit.nn.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The pinball (quantile) loss over groups of quantile outputs, one group of {@code levels.length} columns per target
 * (labels: each target repeated over its group, {@link HeadLabels}). For a target {@code y}, a forecast quantile
 * {@code q} at level {@code tau} and {@code u = y - q}:
 * <pre>
 *   rho_tau(u) = max(tau * u, (tau - 1) * u),    d rho / d q = 1{u &lt; 0} - tau
 * </pre>
 * Its expectation is minimised by the tau-quantile of y's distribution (Koenker and Bassett 1978). The score of a
 * row is the sum over its columns; {@code average} divides by the rows, as DL4J's losses do. Pair it with
 * {@link MonotoneQuantiles} of the same level count so the quantiles cannot cross.
 */
public final class QuantileLoss extends HeadLoss {

    private static final long serialVersionUID = 1L;

    @JsonProperty("levels")
    private final double[] levels;

    @JsonCreator
    public QuantileLoss(@JsonProperty("levels") double[] levels) {
        if (levels == null || levels.length == 0) {
            throw new IllegalArgumentException("a quantile loss needs at least one level");
        }
        for (int i = 0; i < levels.length; i++) {
            if (!(levels[i] > 0 && levels[i] < 1) || i > 0 && levels[i] <= levels[i - 1]) {
                throw new IllegalArgumentException("quantile levels must increase strictly within (0, 1), got " + Arrays.toString(levels));
            }
        }
        this.levels = levels.clone();
    }

    public double[] levels() {
        return levels.clone();
    }

    /** tau of every output column, as a row vector. */
    private INDArray taus(INDArray like) {
        if (like.size(1) % levels.length != 0) {
            throw new IllegalArgumentException("a head of " + levels.length + " quantiles per target needs an output width that is a multiple of "
                    + levels.length + ", got " + like.size(1));
        }
        double[] row = new double[(int) like.size(1)];
        for (int c = 0; c < row.length; c++) {
            row[c] = levels[c % levels.length];
        }
        return Nd4j.createFromArray(row).castTo(like.dataType()).reshape(1, row.length);
    }

    @Override
    INDArray scores(INDArray labels, INDArray out) {
        INDArray u = labels.sub(out);
        INDArray tau = taus(u);
        return Transforms.max(u.mulRowVector(tau), u.mulRowVector(tau.sub(1.0)), false);
    }

    @Override
    INDArray outputGradient(INDArray labels, INDArray out) {
        INDArray u = labels.sub(out);
        return u.lt(0.0).castTo(u.dataType()).subiRowVector(taus(u));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantileLoss q && Arrays.equals(q.levels, levels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "quantile-loss" + Arrays.toString(levels);
    }
}
