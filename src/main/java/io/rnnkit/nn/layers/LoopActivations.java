package io.rnnkit.nn.layers;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * tanh and the logistic sigmoid evaluated inside the layers' fused Java loops, so a step of a
 * recurrent layer with the usual activations makes no ND4J activation call at all. Each call costs
 * a fixed few to tens of microseconds; an LSTM step makes three, which is most of the time of
 * single-sequence inference (60 steps × 3 calls against one tiny [1, H]·[H, 4H] product each).
 *
 * <p>Both are computed in double precision from one {@link Math#exp} (a JIT intrinsic, unlike
 * {@link Math#tanh}) of a non-positive argument, so nothing overflows:
 *
 * <pre>
 *   σ(x)    = 1 / (1 + e^{−x})                 for x ≥ 0,   e^{x} / (1 + e^{x}) for x &lt; 0
 *   tanh(x) = sign(x) · (1 − e^{−2|x|}) / (1 + e^{−2|x|})
 * </pre>
 *
 * The absolute error is a few units of 1e-16 (the cancellation in 1 − e^{−2|x|} near 0 is absolute,
 * not relative, and tanh'(0) = 1 keeps it that size), far below FLOAT's resolution and within the 1e-6
 * by which the layers must agree with DL4J's in DOUBLE networks.
 */
final class LoopActivations {

    private LoopActivations() {
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    static double tanh(double x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }

    static boolean isTanh(IActivation fn) {
        return fn instanceof ActivationTanH;
    }

    static boolean isSigmoid(IActivation fn) {
        return fn instanceof ActivationSigmoid;
    }
}
