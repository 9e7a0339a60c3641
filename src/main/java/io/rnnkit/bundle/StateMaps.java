package io.rnnkit.bundle;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The recurrent state of a stream between two steps: for each recurrent layer, the maps DL4J's
 * {@code rnnGetPreviousState} returns (an LSTM's last output and cell, a SimpleRnn's last output).
 *
 * <p>Immutable once taken, so it can be handed between threads: DL4J stores fresh, detached arrays as the state
 * after every {@code rnnTimeStep} (LSTM: {@code detach()}, SimpleRnn: {@code dup()} out of any workspace)
 * and never writes into the previous ones, and {@code rnnGetPreviousState} returns a copy of its map (kept read-only here).
 */
final class StateMaps {
    private final List<Map<String, INDArray>> layers;

    private StateMaps(List<Map<String, INDArray>> layers) {
        this.layers = layers;
    }

    /** The state a network holds after a step, for the given recurrent layers. */
    static StateMaps of(MultiLayerNetwork net, int[] recurrentLayers) {
        Map<String, INDArray>[] maps = newArray(recurrentLayers.length);
        for (int i = 0; i < recurrentLayers.length; i++) {
            maps[i] = Collections.unmodifiableMap(net.rnnGetPreviousState(recurrentLayers[i]));
        }
        return new StateMaps(List.of(maps));
    }

    /** Puts this state into the network's recurrent layers, replacing whatever the last stream left there. */
    void restoreInto(MultiLayerNetwork net, int[] recurrentLayers) {
        for (int i = 0; i < recurrentLayers.length; i++) {
            net.rnnSetPreviousState(recurrentLayers[i], layers.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, INDArray>[] newArray(int n) {
        return new Map[n];
    }
}
