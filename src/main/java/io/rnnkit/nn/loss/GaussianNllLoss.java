package io.rnnkit.nn.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The negative log-likelihood of a target under a Gaussian whose (mean, scale) pairs the network outputs, one pair
 * per target (labels: each target repeated over its pair, {@link HeadLabels}; pair it with
 * {@link GaussianParameters}). For a target {@code y}:
 * <pre>
 *   NLL = ln(2 pi) / 2 + ln sigma + (y - mu)^2 / (2 sigma^2)
 *   dNLL/dmu = (mu - y) / sigma^2,    dNLL/dsigma = 1 / sigma - (y - mu)^2 / sigma^3
 * </pre>
 * A row's NLL for a target stands in its mean's column (its scale's column scores 0), so per-output masks act
 * per target through the mean's mask entry.
 */
public final class GaussianNllLoss extends HeadLoss {

    private static final long serialVersionUID = 1L;
    private static final double HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

    private static INDArray column(INDArray a, long c) {
        return MonotoneQuantiles.column(a, c);
    }

    @Override
    void checkWidth(INDArray preOutput) {
        GaussianParameters.checkWidth(preOutput);
    }

    @Override
    INDArray scores(INDArray y, INDArray out) {
        INDArray score = out.ulike().assign(0.0);
        for (long c = 0; c < out.size(1); c += 2) {
            INDArray sigma = column(out, c + 1);
            INDArray z = column(y, c).sub(column(out, c)).divi(sigma);
            column(score, c).assign(z.muli(z).muli(0.5).addi(Transforms.log(sigma, true)).addi(HALF_LN_2PI));
        }
        return score;
    }

    @Override
    INDArray outputGradient(INDArray y, INDArray out) {
        INDArray dLda = out.ulike();
        for (long c = 0; c < out.size(1); c += 2) {
            INDArray sigma = column(out, c + 1);
            INDArray r = column(out, c).sub(column(y, c));           // mu - y
            INDArray s2 = sigma.mul(sigma);
            column(dLda, c).assign(r.div(s2));
            column(dLda, c + 1).assign(Transforms.pow(sigma, -1, true).subi(r.mul(r).divi(s2.mul(sigma))));
        }
        return dLda;
    }

    /** A target masked at its mean is masked at its scale too. */
    @Override
    INDArray gradientMask(INDArray mask) {
        INDArray pairMask = mask.dup();
        for (long c = 0; c < mask.size(1); c += 2) {
            column(pairMask, c + 1).assign(column(mask, c));
        }
        return pairMask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianNllLoss;
    }

    @Override
    public int hashCode() {
        return GaussianNllLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "gaussian-nll";
    }
}
