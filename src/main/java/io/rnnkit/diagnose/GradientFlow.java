package io.rnnkit.diagnose;

import io.rnnkit.config.ClippingConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LayerConfig;
import io.rnnkit.config.YamlNames;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much of the error signal reaches each time step, per recurrent layer.
 *
 * <p>For recurrent layer l with input sequence x⁽ˡ⁾ (the network input for l = 0, the hidden states
 * h⁽ˡ⁻¹⁾ of the layer below otherwise) the profile is
 * <pre>
 *   g_l(t) = (1/B) Σ_b ‖∂L/∂x⁽ˡ⁾_{b,t}‖₂ ,   t = 1..T
 * </pre>
 * By the chain rule through the recurrence h_t = f(W x_t + R h_{t−1}), ∂L/∂h_t = Σ_{s≥t} (∂L/∂h_s) Π_{k=t+1..s}
 * ∂h_k/∂h_{k−1}; when the Jacobians ∂h_k/∂h_{k−1} = diag(f′)·R have norms below one the product shrinks
 * geometrically with the distance s − t and the early steps receive almost nothing (vanishing gradients,
 * Bengio, Simard &amp; Frasconi 1994); above one it grows (exploding). For a many-to-one task the loss sits at
 * step T, so g_l(1)/g_l(T) is how much of the signal survives T − 1 steps back.
 *
 * <p>DL4J gives ∂L/∂(input) of a whole network as the epsilon of {@code calculateGradients}; for layer l > 0 the
 * layers l..end are run as a network of their own (same parameters) on the activations of layer l − 1.
 *
 * <p>Gradient clipping (DL4J's gradient normalization) rescales each layer's <em>parameter</em> gradient after
 * backpropagation; it bounds the size of an update (the cure for exploding gradients) but multiplies every
 * step's contribution by the same factor, so it cannot restore a vanished profile.
 */
public final class GradientFlow {
    /** Thresholds on g(1)/g(T) for the verdict: below, the signal vanishes; above, it explodes. */
    static final double VANISHED = 1e-3;
    static final double EXPLODED = 1e3;

    private GradientFlow() {
    }

    /** One recurrent layer: its profile g(t), its parameter-gradient norm before and after clipping. */
    public record LayerProfile(int layer, String cell, double[] perStep, double parameterNorm, double clippedNorm) {
        /** g(1)/g(T): the share of the last step's signal that reaches the first step. */
        public double survival() {
            return perStep[0] / perStep[perStep.length - 1];
        }

        /** The mean factor per step back, (g(1)/g(T))^(1/(T−1)). */
        public double perStepFactor() {
            return Math.pow(survival(), 1.0 / Math.max(1, perStep.length - 1));
        }

        public String verdict() {
            double s = survival();
            return !Double.isFinite(s) || s < VANISHED ? "vanishes" : s > EXPLODED ? "explodes" : "carries";
        }

        public String describe() {
            return String.format(Locale.ROOT, "layer %d (%s): the gradient reaching step 1 is %.2e of that at step %d (×%.3f per step back): %s;"
                            + " parameter gradient norm %.3g, %.3g after clipping", layer, cell, survival(), perStep.length, perStepFactor(),
                    verdict(), parameterNorm, clippedNorm);
        }
    }

    /** The profile of every recurrent layer of {@code net} on one minibatch. */
    public static List<LayerProfile> measure(ExperimentConfig config, MultiLayerNetwork net, DataSet batch) {
        List<LayerConfig> layers = config.model().layers();
        List<LayerProfile> out = new ArrayList<>();
        List<INDArray> activations = net.feedForward(batch.getFeatures(), false);
        for (int l = 0; l < layers.size(); l++) {
            MultiLayerNetwork tail = l == 0 ? net : tail(net, l);
            Pair<Gradient, INDArray> g = tail.calculateGradients(activations.get(l), batch.getLabels(),
                    batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            double[] perStep = perStep(g.getSecond());
            // layer l is the first layer of its tail network (l = 0: the network itself), so its parameters are "0_*"
            double[] norms = layerNorms(g.getFirst(), 0, config.training().gradientClipping());
            out.add(new LayerProfile(l, YamlNames.of(layers.get(l).type()) + (layers.get(l).bidirectional() ? ", bidirectional" : ""),
                    perStep, norms[0], norms[1]));
        }
        return out;
    }

    /** (1/B) Σ_b ‖ε_{b,·,t}‖₂ for an epsilon of shape [B, n, T]. */
    static double[] perStep(INDArray epsilon) {
        INDArray norms = epsilon.norm2(1).mean(0);
        return norms.toDoubleVector();
    }

    /** Layers l..end of a network as a network of their own, with the same parameters. */
    static MultiLayerNetwork tail(MultiLayerNetwork net, int l) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>(conf.getConfs().subList(l, conf.getConfs().size()));
        conf.setConfs(confs);
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        conf.getInputPreProcessors().forEach((k, v) -> {
            if (k >= l) {
                pre.put(k - l, v);
            }
        });
        conf.setInputPreProcessors(pre);
        MultiLayerNetwork tail = new MultiLayerNetwork(conf);
        tail.init();
        for (int j = l; j < net.getnLayers(); j++) {
            tail.getLayer(j - l).setParams(net.getLayer(j).params().dup());
        }
        return tail;
    }

    /**
     * ‖∂L/∂θ_l‖₂ of layer {@code index} and the norm after the configured clipping:
     * clip-l2-per-layer g·min(1, c/‖g‖); clip-l2-per-param-type the same per parameter array;
     * clip-element-wise each value into [−c, c]; renormalize-l2-per-layer g/‖g‖.
     */
    static double[] layerNorms(Gradient gradient, int index, ClippingConfig clipping) {
        double c = clipping.threshold();
        double before = 0;
        double after = 0;
        List<INDArray> parts = new ArrayList<>();
        gradient.gradientForVariable().forEach((name, g) -> {
            if (name.startsWith(index + "_")) {
                parts.add(g);
            }
        });
        for (INDArray g : parts) {
            double n = g.norm2Number().doubleValue();
            before += n * n;
        }
        before = Math.sqrt(before);
        for (INDArray g : parts) {
            double n = g.norm2Number().doubleValue();
            double clipped = switch (clipping.type()) {
                case NONE -> n;
                case CLIP_L2_PER_LAYER -> n * Math.min(1, c / before);
                case CLIP_L2_PER_PARAM_TYPE -> n * Math.min(1, c / n);
                case CLIP_ELEMENT_WISE -> Transforms.max(Transforms.min(g, c, true), -c, false).norm2Number().doubleValue();
                case RENORMALIZE_L2_PER_LAYER -> n / before;
            };
            after += clipped * clipped;
        }
        return new double[]{before, Math.sqrt(after)};
    }
}
