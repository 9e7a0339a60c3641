package io.rnnkit.nn.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The forward working arrays a layer reuses from one pass to the next when they are small: the input rows,
 * their projection, the packed recurrent weights and the last state of an inference pass. Single-sequence
 * inference (the server's and {@code RnnModel}'s predictions, a stream's steps) then creates no ND4J array
 * but its output. Why: every array ND4J creates, even from a workspace, allocates a native shape buffer
 * (with JavaCPP's memory accounting) and a native data-buffer handle; profiled, the five working arrays
 * of an LSTM layer were about a quarter of a single-sequence call's fixed cost.
 *
 * <p>Only {@link ArrayType#FF_WORKING_MEM} requests are served here: a training pass allocates what its
 * trace keeps as another type, so traces are never reused. Callers overwrite the whole array, as with
 * {@code createUninitialized}. The arrays live outside workspaces and are held by the layer; a layer runs
 * one pass at a time (DL4J's layers keep their input between calls), and a pass takes each slot once. The
 * last state is detached (copied) by the layer before the next pass reuses it.
 */
final class InferenceBuffers {

    /** Arrays above this many elements come from the workspace as before, so batch inference holds no memory. */
    static final long MAX_ELEMENTS = 1L << 18;

    /** What each kept array is for: one array per slot. */
    enum Slot {
        INPUT_ROWS, PROJECTION, LAST_STATE,
        /** The layer's output, kept only for {@link FusedLayers#output}, whose caller reads it before the next pass. */
        OUTPUT
    }

    private final INDArray[] kept = new INDArray[Slot.values().length];
    /** The recurrent weights {@link #packed} was packed from, as stored ('f'), to tell whether they changed since. */
    private float[] packedFrom;
    private LanesGemm.Packed packed;

    /**
     * RW [h, width] packed for {@link LanesGemm}: the packing of the last pass when the weights are still the ones it
     * was packed from (compared element by element, a few microseconds for 256 KB), else packed anew. Why: a single
     * sequence's step product in lanes takes a fraction of CBLAS's matrix-vector call, but packing costs about as much
     * as a whole short pass; inference passes over unchanged weights pack once. The comparison, not a version
     * counter, decides, because DL4J updates and restores parameters in place.
     * ({@code FloatBuffer.equals} takes 0 and −0 as equal: a chain of multiply-adds from +0 cannot tell them apart.)
     */
    LanesGemm.Packed packedWeights(INDArray rw, int h, int width) {
        java.nio.FloatBuffer stored = LanesSteps.storedView(rw);
        float[] copy = stored == null ? LanesSteps.storedWeights(rw) : null; // not dense 'f' FLOAT: compared as a copy
        java.nio.FloatBuffer now = stored != null ? stored : java.nio.FloatBuffer.wrap(copy);
        if (packed == null || packed.k != h || packed.n != width || !now.equals(java.nio.FloatBuffer.wrap(packedFrom))) {
            packedFrom = copy != null ? copy : LanesSteps.storedWeights(rw);
            packed = LanesGemm.Packed.ofColumnMajor(packedFrom, h, width);
        }
        return packed;
    }

    /**
     * An array of this shape and order for {@code slot}: the one kept from the last pass when it matches, a new
     * kept one when it does not, or the workspace's ({@code mgr}) for other array types and large arrays.
     */
    INDArray get(Slot slot, LayerWorkspaceMgr mgr, ArrayType type, DataType dataType, long[] shape, char order) {
        return get(slot, mgr, type, type == ArrayType.FF_WORKING_MEM, dataType, shape, order);
    }

    /** {@link #get} with the caller saying whether an array of {@code type} may be kept. */
    INDArray get(Slot slot, LayerWorkspaceMgr mgr, ArrayType type, boolean keep, DataType dataType, long[] shape,
            char order) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (!keep || n > MAX_ELEMENTS) {
            return mgr.createUninitialized(type, dataType, shape, order);
        }
        INDArray a = kept[slot.ordinal()];
        if (a == null || a.dataType() != dataType || a.ordering() != order || !Arrays.equals(a.shape(), shape)) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(dataType, shape, order);
            }
            kept[slot.ordinal()] = a;
        }
        return a;
    }
}
