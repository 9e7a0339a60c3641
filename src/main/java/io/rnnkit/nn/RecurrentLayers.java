package io.rnnkit.nn;

import io.rnnkit.config.ActivationKind;
import io.rnnkit.config.CellType;
import io.rnnkit.config.LayerConfig;
import io.rnnkit.nn.layers.GRU;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;

/** One recurrent layer of the config as a DL4J layer configuration, wrapped in {@link Bidirectional} when asked. */
public final class RecurrentLayers {
    private RecurrentLayers() {
    }

    /** @param nIn values per step reaching the layer */
    public static Layer of(LayerConfig layer, int nIn) {
        Layer cell = cell(layer.type(), nIn, layer.units(), activation(layer.activation()));
        if (layer.dropout() > 0) {
            // DL4J's dropOut(p) takes the probability of *keeping* a value
            cell.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - layer.dropout()));
        }
        return layer.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, cell) : cell;
    }

    static Layer cell(CellType type, int nIn, int units, Activation activation) {
        return switch (type) {
            case SIMPLE_RNN -> new SimpleRnn.Builder().nIn(nIn).nOut(units).activation(activation).build();
            case LSTM -> new LSTM.Builder().nIn(nIn).nOut(units).activation(activation).build();
            case GRU -> new GRU.Builder().nIn(nIn).nOut(units).activation(activation).build();
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
