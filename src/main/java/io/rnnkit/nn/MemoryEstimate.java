package io.rnnkit.nn;

import io.rnnkit.config.CellType;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LayerConfig;
import io.rnnkit.config.UpdaterKind;
import org.bytedeco.javacpp.Pointer;

import java.util.List;
import java.util.Locale;

/**
 * The memory training a network takes, estimated from its config before anything is allocated, so that a config
 * that cannot fit is refused with the figure at validation rather than dying in native code ({@code std::bad_alloc})
 * or with an {@code OutOfMemoryError} when the network is built. All in float32, as the network computes.
 *
 * <p>ND4J keeps its arrays off the Java heap, under JavaCPP's limit ({@code -Dorg.bytedeco.javacpp.maxbytes},
 * by default the maximum heap): parameters, their gradients, the updater's state (Adam's two moments), the best
 * epoch's copy and the activations of a minibatch kept for backpropagation through time. On the heap go the
 * checkpoint's serialized bytes (parameters, best parameters and updater state, with a copy while zipping).
 * It is a lower bound: DL4J's workspaces add to it, so a config that passes can still be tight. The data's own
 * memory is not counted here.
 *
 * @param parameters     trainable parameters
 * @param updaterValues  values of updater state (per parameter: 0 for SGD, 1 for RMSProp, 2 for Adam ...)
 * @param activations    values of activations kept for backpropagation, for one minibatch
 */
public record MemoryEstimate(long parameters, long updaterValues, long activations) {
    private static final long FLOAT = Float.BYTES;

    /**
     * @param inputs  values per step the network reads (the vocabulary size for text with an embedding)
     * @param outputs classes or values per answer
     * @param batch   sequences per minibatch
     * @param steps   steps backpropagated through at once (the sequence length, or the truncated-BPTT length)
     */
    public static MemoryEstimate of(ExperimentConfig config, long inputs, long outputs, long batch, long steps) {
        long parameters = 0;
        long activations = 0;
        long width = inputs;
        if (config.model().embeddingSize() > 0) {
            parameters += inputs * config.model().embeddingSize();
            width = config.model().embeddingSize();
            activations += batch * steps * width;
        }
        for (LayerConfig layer : config.model().layers()) {
            long gates = gates(layer.type());
            long directions = layer.bidirectional() ? 2 : 1;
            long units = layer.units();
            long biases = layer.type() == CellType.GRU ? 2 : 1; // the GRU's PyTorch form has input and recurrent biases
            long norms = layer.layerNorm() ? 4 : 0; // layer norm's gain and bias on the input and recurrent pre-activations
            parameters += directions * (gates * units * (width + units) + (biases + norms) * gates * units);
            // per step and direction: the gate pre-activations and activations, the cell state and the output
            activations += directions * batch * steps * (gates + 2) * units;
            width = directions * units;
        }
        parameters += width * outputs + outputs;
        activations += batch * steps * outputs;
        return new MemoryEstimate(parameters, parameters * updaterState(config.training().updater().type()), activations);
    }

    private static long gates(CellType type) {
        return switch (type) {
            case SIMPLE_RNN -> 1;
            case GRU -> 3;
            case LSTM -> 4;
        };
    }

    private static long updaterState(UpdaterKind kind) {
        return switch (kind) {
            case SGD -> 0;
            case NESTEROVS, RMSPROP, ADAGRAD -> 1;
            case ADAM, ADAMW, ADAMAX, NADAM, ADADELTA -> 2;
            case AMSGRAD -> 3;
        };
    }

    /** ND4J's share: parameters, gradients, the best epoch's copy, updater state, and activations with their gradients. */
    public long offHeapBytes() {
        return FLOAT * (3 * parameters + updaterValues + 2 * activations);
    }

    /** The heap's share: a checkpoint's bytes (parameters, best parameters, updater state) and the zip's copy of them. */
    public long heapBytes() {
        return FLOAT * 2 * (2 * parameters + updaterValues);
    }

    /**
     * Refuses a config whose network cannot fit this JVM, naming the figure, the limit and the field to change.
     *
     * @param offHeapLimit bytes ND4J may allocate (0: no limit)
     * @param heapLimit    the maximum heap
     */
    public void check(ExperimentConfig config, ConfigLocations where, long offHeapLimit, long heapLimit) {
        String what = String.format(Locale.ROOT, "%,d parameters (%s, as much again for their gradients and for the best epoch's copy,"
                        + " %s of %s state), and %s of activations for a minibatch", parameters, size(FLOAT * parameters),
                size(FLOAT * updaterValues), config.training().updater().type().name().toLowerCase(Locale.ROOT), size(FLOAT * 2 * activations));
        String cure = "; use fewer or smaller layers (model.layers[*].units), or a smaller training.batchSize or training.tbpttLength";
        if (offHeapLimit > 0 && offHeapBytes() > offHeapLimit) {
            throw where.error(field(config), "training this network needs at least " + size(offHeapBytes()) + " of ND4J memory (" + what
                    + "), but ND4J may use " + size(offHeapLimit) + " (-Dorg.bytedeco.javacpp.maxbytes, by default -Xmx)" + cure);
        }
        if (heapBytes() > heapLimit) {
            throw where.error(field(config), "checkpointing this network needs at least " + size(heapBytes()) + " of Java heap ("
                    + String.format(Locale.ROOT, "%,d", parameters) + " parameters twice and the updater's state, and a copy), but the"
                    + " maximum heap is " + size(heapLimit) + " (-Xmx)" + cure);
        }
    }

    /** {@link #check} against this JVM: JavaCPP's limit for ND4J's arrays (and the physical one), and the maximum heap. */
    public void checkFits(ExperimentConfig config, ConfigLocations where) {
        long offHeap = Pointer.maxBytes();
        long physical = Pointer.maxPhysicalBytes();
        if (physical > 0 && (offHeap <= 0 || physical < offHeap)) {
            offHeap = physical;
        }
        check(config, where, offHeap, Runtime.getRuntime().maxMemory());
    }

    /** The path of the widest layer's units, the likeliest field to change. */
    private static String field(ExperimentConfig config) {
        List<LayerConfig> layers = config.model().layers();
        int widest = 0;
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).units() > layers.get(widest).units()) {
                widest = i;
            }
        }
        return "model.layers[" + widest + "].units";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
