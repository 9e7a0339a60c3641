package io.rnnkit.nn.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalization (Ba, Kiros &amp; Hinton 2016) of rows of pre-activations, as rnnkit's layer-normalised LSTM
 * and GRU use it: each row a (one example's W = gates·H pre-activations of one step) becomes
 *
 * <pre>
 *   y_j = γ_j · â_j + β_j,   â_j = (a_j − μ) / σ,   μ = mean_j a_j,   σ = sqrt(mean_j (a_j − μ)² + ε)
 * </pre>
 *
 * with a learned gain γ and bias β of width W and ε = 1e-5. Backprop, with g_j = γ_j · dy_j:
 *
 * <pre>
 *   da_j = (g_j − mean(g) − â_j · mean(g ⊙ â)) / σ,   dγ += dy ⊙ â,   dβ += dy
 * </pre>
 *
 * Rows are addressed by strides, so the same code serves the per-step buffers ('f') and the row arrays of all
 * steps ('c'). A training pass keeps â and 1/σ of every row it normalises ({@link Saved}).
 */
final class LayerNorm {
    static final double EPSILON = 1e-5;

    private final double[] gain;
    private final double[] bias;
    private final int width;
    /** γ ⊙ dy of the row backprop is on; one per instance (an instance serves one pass), so the time loop allocates nothing. */
    private final double[] g;

    LayerNorm(INDArray gain, INDArray bias) {
        this.gain = FusedRecurrentLayer.toDoubles(gain);
        this.bias = FusedRecurrentLayer.toDoubles(bias);
        this.width = this.gain.length;
        this.g = new double[width];
    }

    /** What backprop needs of the rows a forward pass normalised: â as rows [rows, W] 'c' and 1/σ per row. */
    static final class Saved {
        final INDArray hat;
        final RawBuffer hatB;
        final double[] inv;

        Saved(long rows, int width, ArrayType type, DataType dataType, LayerWorkspaceMgr mgr) {
            hat = mgr.createUninitialized(type, dataType, new long[] {rows, width}, 'c');
            hatB = RawBuffer.of(hat);
            inv = new double[(int) rows];
        }
    }

    /**
     * Normalises {@code rows} rows of {@code a} in place (element j of row i at {@code offset + i·rowStride +
     * j·colStride}), keeping â and 1/σ in {@code saved} from row {@code savedRow} when it is not null.
     */
    void forward(RawBuffer a, long offset, long rowStride, long colStride, int rows, Saved saved, int savedRow) {
        for (int i = 0; i < rows; i++) {
            long row = offset + i * rowStride;
            double mean = 0;
            for (int j = 0; j < width; j++) {
                mean += a.get(row + j * colStride);
            }
            mean /= width;
            double var = 0;
            for (int j = 0; j < width; j++) {
                double d = a.get(row + j * colStride) - mean;
                var += d * d;
            }
            double inv = 1.0 / Math.sqrt(var / width + EPSILON);
            long hatRow = (long) (savedRow + i) * width;
            for (int j = 0; j < width; j++) {
                long at = row + j * colStride;
                double hat = (a.get(at) - mean) * inv;
                if (saved != null) {
                    saved.hatB.set(hatRow + j, hat);
                }
                a.set(at, gain[j] * hat + bias[j]);
            }
            if (saved != null) {
                saved.inv[savedRow + i] = inv;
            }
        }
    }

    /**
     * Turns dL/dy of {@code rows} rows of {@code d} (addressed as in {@link #forward}) into dL/da in place, adding
     * to the gradients of the gain and bias.
     */
    void backward(RawBuffer d, long offset, long rowStride, long colStride, int rows, Saved saved, int savedRow,
            double[] dGain, double[] dBias) {
        for (int i = 0; i < rows; i++) {
            long row = offset + i * rowStride;
            long hatRow = (long) (savedRow + i) * width;
            double meanG = 0;
            double meanGHat = 0;
            for (int j = 0; j < width; j++) {
                double dy = d.get(row + j * colStride);
                double hat = saved.hatB.get(hatRow + j);
                dGain[j] += dy * hat;
                dBias[j] += dy;
                g[j] = gain[j] * dy;
                meanG += g[j];
                meanGHat += g[j] * hat;
            }
            meanG /= width;
            meanGHat /= width;
            double inv = saved.inv[savedRow + i];
            for (int j = 0; j < width; j++) {
                d.set(row + j * colStride, (g[j] - meanG - saved.hatB.get(hatRow + j) * meanGHat) * inv);
            }
        }
    }
}
