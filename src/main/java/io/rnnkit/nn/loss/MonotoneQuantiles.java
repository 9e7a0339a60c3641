package io.rnnkit.nn.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Quantiles that cannot cross: each group of {@code levels} inputs {@code x_0 ... x_{Q-1}} (one group per target)
 * becomes
 * <pre>
 *   q_0 = x_0,    q_j = q_{j-1} + softplus(x_j)  (j = 1 ... Q-1),   softplus(x) = ln(1 + e^x)
 * </pre>
 * so {@code q_0 <= q_1 <= ... <= q_{Q-1}} for any weights. Backprop, with {@code g_k = dL/dq_k}:
 * <pre>
 *   dL/dx_0 = sum_{k>=0} g_k,    dL/dx_j = sigmoid(x_j) * sum_{k>=j} g_k
 * </pre>
 */
public final class MonotoneQuantiles extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("levels")
    private final int levels;

    @JsonCreator
    public MonotoneQuantiles(@JsonProperty("levels") int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("a quantile head needs at least one level, got " + levels);
        }
        this.levels = levels;
    }

    public int levels() {
        return levels;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        checkWidth(in);
        for (long base = 0; base < in.size(1); base += levels) {
            INDArray running = column(in, base).dup();
            for (int j = 1; j < levels; j++) {
                INDArray col = column(in, base + j);
                running.addi(Transforms.softPlus(col, true));
                col.assign(running);
            }
        }
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        checkWidth(in);
        assertShape(in, epsilon);
        INDArray grad = epsilon.ulike();
        for (long base = 0; base < in.size(1); base += levels) {
            INDArray tail = column(epsilon, base + levels - 1).dup(); // sum_{k>=j} g_k, built from the top
            for (int j = levels - 1; j >= 1; j--) {
                column(grad, base + j).assign(Transforms.sigmoid(column(in, base + j), true).muli(tail));
                tail.addi(column(epsilon, base + j - 1));
            }
            column(grad, base).assign(tail);
        }
        return new Pair<>(grad, null);
    }

    private void checkWidth(INDArray in) {
        if (in.rank() != 2 || in.size(1) % levels != 0) {
            throw new IllegalArgumentException("a head of " + levels + " quantiles per target needs a 2-d output whose width is a multiple of "
                    + levels + ", got shape " + java.util.Arrays.toString(in.shape()));
        }
    }

    static INDArray column(INDArray a, long c) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MonotoneQuantiles m && m.levels == levels;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(levels);
    }

    @Override
    public String toString() {
        return "monotone-quantiles(" + levels + ")";
    }
}
