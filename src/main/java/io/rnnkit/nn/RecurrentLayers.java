package io.rnnkit.nn;

import io.rnnkit.config.ActivationKind;
import io.rnnkit.config.CellType;
import io.rnnkit.config.Implementation;
import io.rnnkit.config.LayerConfig;
import io.rnnkit.nn.layers.FusedGRU;
import io.rnnkit.nn.layers.FusedLSTM;
import io.rnnkit.nn.layers.FusedSimpleRnn;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;

/**
 * One recurrent layer of the config as a DL4J layer configuration, wrapped in {@link Bidirectional} when asked;
 * DL4J's own SimpleRnn/LSTM or rnnkit's ({@code implementation}), the GRU always rnnkit's.
 */
public final class RecurrentLayers {
    private RecurrentLayers() {
    }

    /** @param nIn values per step reaching the layer */
    public static Layer of(LayerConfig layer, int nIn) {
        Layer cell = cell(layer.type(), layer.effectiveImplementation(), nIn, layer.units(),
                activation(layer.activation()), layer.layerNorm());
        if (layer.dropout() > 0) {
            // DL4J's dropOut(p) takes the probability of *keeping* a value
            cell.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - layer.dropout()));
        }
        return layer.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, cell) : cell;
    }

    /** @param layerNorm rnnkit's layer-normalised LSTM or GRU (the config's rules allow it nowhere else) */
    static Layer cell(CellType type, Implementation implementation, int nIn, int units, Activation activation, boolean layerNorm) {
        boolean rnnkit = implementation == Implementation.RNNKIT;
        return switch (type) {
            case SIMPLE_RNN -> (rnnkit ? new FusedSimpleRnn.Builder() : new SimpleRnn.Builder())
                    .nIn(nIn).nOut(units).activation(activation).build();
            case LSTM -> rnnkit
                    ? new FusedLSTM.Builder().layerNorm(layerNorm).nIn(nIn).nOut(units).activation(activation).build()
                    : new LSTM.Builder().nIn(nIn).nOut(units).activation(activation).build();
            case GRU -> {
                if (!rnnkit) {
                    throw new IllegalArgumentException("DL4J has no GRU; a gru layer runs rnnkit's implementation");
                }
                yield new FusedGRU.Builder().layerNorm(layerNorm).nIn(nIn).nOut(units).activation(activation).build();
            }
        };
    }

    /** Values per step leaving the layer. */
    public static int width(LayerConfig layer) {
        return layer.units() * (layer.bidirectional() ? 2 : 1);
    }

    static Activation activation(ActivationKind kind) {
        return switch (kind) {
            case TANH -> Activation.TANH;
            case SOFTSIGN -> Activation.SOFTSIGN;
            case SIGMOID -> Activation.SIGMOID;
            case RELU -> Activation.RELU;
            case LEAKYRELU -> Activation.LEAKYRELU;
            case ELU -> Activation.ELU;
            case IDENTITY -> Activation.IDENTITY;
        };
    }
}
