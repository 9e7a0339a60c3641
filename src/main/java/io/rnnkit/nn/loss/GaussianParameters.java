package io.rnnkit.nn.loss;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A Gaussian's mean and scale per target: each pair of inputs {@code (x_mu, x_sigma)} becomes
 * <pre>
 *   mu = x_mu,    sigma = softplus(x_sigma) + SCALE_FLOOR
 * </pre>
 * The floor keeps the negative log-likelihood finite when a network grows over-confident on normalised targets.
 * Backprop: {@code dL/dx_mu = dL/dmu}, {@code dL/dx_sigma = sigmoid(x_sigma) * dL/dsigma}.
 */
public final class GaussianParameters extends BaseActivationFunction {

    private static final long serialVersionUID = 1L;
    /** In the units of the (normalised) target. */
    public static final double SCALE_FLOOR = 1e-4;

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        checkWidth(in);
        for (long c = 1; c < in.size(1); c += 2) {
            INDArray scale = MonotoneQuantiles.column(in, c);
            scale.assign(Transforms.softPlus(scale, true).addi(SCALE_FLOOR));
        }
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        checkWidth(in);
        assertShape(in, epsilon);
        INDArray grad = epsilon.dup();
        for (long c = 1; c < in.size(1); c += 2) {
            MonotoneQuantiles.column(grad, c).muli(Transforms.sigmoid(MonotoneQuantiles.column(in, c), true));
        }
        return new Pair<>(grad, null);
    }

    static void checkWidth(INDArray in) {
        if (in.rank() != 2 || in.size(1) % 2 != 0) {
            throw new IllegalArgumentException("a Gaussian head needs a 2-d output of (mean, scale) pairs, got shape "
                    + java.util.Arrays.toString(in.shape()));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianParameters;
    }

    @Override
    public int hashCode() {
        return GaussianParameters.class.hashCode();
    }

    @Override
    public String toString() {
        return "gaussian-parameters";
    }
}
