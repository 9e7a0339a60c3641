package io.rnnkit.nn.layers;

import java.nio.FloatBuffer;
import java.util.function.Function;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data movement around the cells' SIMD kernels that the three layers share: each step, the recurrent
 * product of the carried state, in Java lanes on packed weights ({@link LanesGemm}; forward always, backprop see
 * {@link #productsInLanes}, else through CBLAS, prepared once, {@link CpuBlas#product}: the gradient goes into
 * ND4J memory and the product comes back as Java rows); the step's output goes into the layer output; in backprop, the step's
 * epsilon comes out as rows and the gate gradients' product with RWᵀ is added to the carried gradient.
 * Rows are row-major [rows, width] float arrays, as the kernels take them.
 *
 * <p>A pass may be split into parts of consecutive minibatch rows ({@link LayerThreads}): each part has its
 * own product buffers (row blocks of one array, allocated by the calling thread, since ND4J's workspaces
 * belong to a thread) and reads and writes only its rows of the shared arrays, so the parts can run the
 * whole time loop at once on different threads.
 */
final class LanesSteps {

    private LanesSteps() {
    }

    /** Rows {@code r0 … r0 + rows − 1} of a minibatch of {@code mb}. */
    static class Part {
        final int r0;
        final int rows;
        final int mb;

        Part(int r0, int rows, int mb) {
            this.r0 = r0;
            this.rows = rows;
            this.mb = mb;
        }

        /** The first element of this part's rows at step t in a [T*mb, width] array (row t*mb + i). */
        int at(int t, int width) {
            return (t * mb + r0) * width;
        }

        /** This part's values of the mask ({@code [t * mb + i]}) as {@code [t * rows + i]}, or null. */
        double[] mask(double[] mask, int steps) {
            if (mask == null) {
                return null;
            }
            double[] m = new double[steps * rows];
            for (int t = 0; t < steps; t++) {
                System.arraycopy(mask, t * mb + r0, m, t * rows, rows);
            }
            return m;
        }

        /** This part's rows of {@code all} [mb, width] as a new array. */
        float[] rowsOf(float[] all, int width) {
            return java.util.Arrays.copyOfRange(all, r0 * width, (r0 + rows) * width);
        }

        /** This part's rows of an ND4J array [mb, …] (a view). */
        INDArray rowsOf(INDArray all) {
            return FusedRecurrentLayer.rows(all, r0, r0 + rows);
        }

        /** This part's rows {@code mine} [rows, width] back into {@code all} [mb, width]. */
        void copyBack(float[] mine, float[] all, int width) {
            System.arraycopy(mine, 0, all, r0 * width, rows * width);
        }
    }

    /** The parts of a pass over {@code mb} rows, as {@link LayerThreads#parts} splits it. */
    static Part[] split(int mb) {
        int n = LayerThreads.parts(mb);
        Part[] parts = new Part[n];
        for (int p = 0; p < n; p++) {
            int r0 = LayerThreads.start(mb, n, p);
            parts[p] = new Part(r0, LayerThreads.start(mb, n, p + 1) - r0, mb);
        }
        return parts;
    }

    /**
     * Whether a pass over {@code mb} rows and {@code steps} steps packs the weights for itself: with at least 4
     * rows and enough rows × steps to repay packing once per pass. Below that a forward pass takes the packing its
     * layer keeps ({@link InferenceBuffers#packedWeights}: inference on unchanged weights packs once), and a
     * backward pass runs its products through CBLAS's matrix-vector product, which reads the weights where they are.
     * Measured for a single sequence of the m2o LSTM (60 steps, 128 units; {@code InferencePathBench}, thread CPU
     * p50, three pairs of JVMs): 276 / 265 / 230 µs a call with CBLAS's product each step, 221 / 232 / 234 µs in lanes
     * on the kept packing.
     */
    static boolean productsInLanes(int mb, int steps) {
        return mb >= 4 && (long) mb * steps >= 32;
    }

    /** The recurrent weights RW [h, width] as stored 'f' (column by column), one bulk copy if possible. */
    static float[] storedWeights(INDArray rw) {
        FloatBuffer stored = storedView(rw);
        float[] w = new float[(int) rw.length()];
        (stored != null ? stored : FloatLanes.view(rw.castTo(DataType.FLOAT).dup('f'))).get(0, w);
        return w;
    }

    /** RW's memory when it is FLOAT and dense 'f' (column by column), else null. */
    static FloatBuffer storedView(INDArray rw) {
        boolean asIs = rw.dataType() == DataType.FLOAT && rw.rank() == 2 && rw.ordering() == 'f'
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(rw);
        return asIs ? FloatLanes.view(rw) : null;
    }

    /** A forward pass over one part: state h_{t−1} in, h_{t−1}·RW out, outputs to {@code out} ([mb, h, T], {@link FusedRecurrentLayer#outputArray}). */
    static final class Forward extends Part {
        private final FloatBuffer out;
        private final long[] outStride;
        /** RW [h, width] packed for {@link LanesGemm}. */
        private final LanesGemm.Packed weights;
        private final float[] transposed;
        private final int h;

        private Forward(Part part, LanesGemm.Packed weights, INDArray out, int h) {
            super(part.r0, part.rows, part.mb);
            this.weights = weights;
            this.out = FloatLanes.view(out);
            this.outStride = out.stride();
            this.transposed = new float[rows * h];
            this.h = h;
        }

        /**
         * One pass per part of {@code mb}, with product buffers for {@code width} gate columns. The per-step products
         * run in lanes; with few rows × steps (a single sequence, a stream's step) the packed weights are kept in
         * {@code buffers} and packed again only when the weights change.
         */
        static Forward[] of(INDArray rw, int width, INDArray out, int mb, int h, InferenceBuffers buffers) {
            LanesGemm.Packed weights = productsInLanes(mb, (int) out.size(2))
                    ? LanesGemm.Packed.ofColumnMajor(storedWeights(rw), h, width) : buffers.packedWeights(rw, h, width);
            return java.util.Arrays.stream(split(mb)).map(part -> new Forward(part, weights, out, h)).toArray(Forward[]::new);
        }

        /** zRows ← hRows·RW. */
        void recurrent(float[] hRows, float[] zRows) {
            LanesGemm.multiply(hRows, weights, zRows, rows);
        }

        /** This part's rows of step t of the layer output from the rows {@code y} [rows, h]. */
        void output(float[] y, int t) {
            FloatLanes.writeStep(out, outStride, y, transposed, this, h, t);
        }
    }

    /** A backward pass over one part: the epsilon of each step as rows, and dh += dz·RWᵀ. */
    static final class Backward extends Part {
        private final FloatBuffer eps;
        private final long[] epsStride;
        private final FloatBuffer gateGradient;
        private final FloatBuffer stateGradient;
        private final CpuBlas.Product recurrent;
        /** RWᵀ [width, h] packed for {@link LanesGemm}, or null: the product runs through CBLAS. */
        private final LanesGemm.Packed weights;
        private final float[] epsRows;
        private final float[] fromProduct;
        private final float[] transposed;
        private final int h;
        private final int width;

        private Backward(Part part, INDArray eps, INDArray rw, INDArray dz, INDArray dh, LanesGemm.Packed weights, int h,
                int width) {
            super(part.r0, part.rows, part.mb);
            this.eps = FloatLanes.view(eps);
            this.epsStride = eps.stride();
            this.weights = weights;
            this.gateGradient = weights != null ? null : FloatLanes.view(dz);
            this.stateGradient = weights != null ? null : FloatLanes.view(dh);
            this.recurrent = weights != null ? null : CpuBlas.product(dz, false, rw, true, dh);
            this.epsRows = new float[rows * h];
            this.fromProduct = new float[rows * h];
            this.transposed = new float[rows * h];
            this.h = h;
            this.width = width;
        }

        /**
         * One pass per part of {@code mb}; {@code eps} [mb, h, T] any layout (checked by the layer),
         * {@code width} the gate columns of RW.
         */
        static Backward[] of(INDArray eps, INDArray rw, int width, int mb, int h, DataType type,
                LayerWorkspaceMgr mgr) {
            Part[] parts = split(mb);
            if (productsInLanes(mb, (int) eps.size(2))) {
                // RW stored 'f' is RWᵀ row-major
                LanesGemm.Packed weights = LanesGemm.Packed.ofRowMajor(storedWeights(rw), width, h);
                return java.util.Arrays.stream(parts).map(part -> new Backward(part, eps, rw, null, null, weights, h, width))
                        .toArray(Backward[]::new);
            }
            INDArray dz = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {mb, width}, 'c');
            INDArray dh = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {mb, h}, 'c');
            return java.util.Arrays.stream(parts)
                    .map(part -> new Backward(part, eps, rw, part.rowsOf(dz), part.rowsOf(dh), null, h, width))
                    .toArray(Backward[]::new);
        }

        /** This part's rows of the epsilon of step t, [rows, h] (the same array every call). */
        float[] eps(int t) {
            FloatLanes.readStep(eps, epsStride, epsRows, transposed, this, h, t);
            return epsRows;
        }

        /** dhRows += dzRows·RWᵀ: the gradient reaching the state before the step through the product. */
        void recurrent(float[] dzRows, float[] dhRows) {
            if (weights != null) {
                LanesGemm.multiply(dzRows, weights, fromProduct, rows);
            } else {
                gateGradient.put(0, dzRows);
                recurrent.run(0.0);
                stateGradient.get(0, fromProduct);
            }
            VectorMath.addInto(dhRows, fromProduct, fromProduct.length);
        }
    }

    /**
     * Rows of an array over all steps, [steps·mb, width] 'c' (row t·mb + i: example i at step t), as the cells'
     * traces and gradients keep them; with {@code shift} 1 step t reads or writes the row block of t + 1 (the
     * states after each step, in an array that starts with the state before the first).
     */
    record Stepped(FloatBuffer buffer, int width, int shift) {
        static Stepped of(INDArray array, int shift) {
            return new Stepped(FloatLanes.view(array), (int) array.size(1), shift);
        }
    }

    /** One part's rows in a forward pass, made on the part's thread: what the cell's step reads and writes. */
    static final class ForwardRows {
        final int rows;
        /** h_{t−1}·RW of the step, [rows, width]; the cell may overwrite it. */
        final float[] z;
        /** The step's input projection, [rows, width]. */
        final float[] g;
        /** The step's output, [rows, h]. */
        final float[] y;
        /** The carried state, each [rows, h]: state[0] is h, which the next product reads. */
        final float[][] state;

        ForwardRows(int rows, int width, int h, float[][] state) {
            this.rows = rows;
            this.z = new float[rows * width];
            this.g = new float[rows * width];
            this.y = new float[rows * h];
            this.state = state;
        }
    }

    /** A cell's step on one part's rows. */
    interface Step {
        /** Step t (mask: this part's values, as {@link Part#mask} gives them, or null). */
        void run(double[] mask, int t);
    }

    /** A cell's forward step on one part, and the arrays the trace keeps after each step. */
    record ForwardPart(Step step, float[]... traced) {
    }

    /**
     * The threaded time loop of a forward pass in SIMD lanes, the same for every cell: each part runs all steps on
     * its rows — the product h_{t−1}·RW, the step's input projection from {@code g} ([steps·mb, width]), the cell's
     * step ({@code cell} makes it on the part's thread, from the part's rows), the output and, when {@code trace}
     * is not null, {@code trace[i]} ← the part's {@code traced[i]} — and writes its rows of the carried
     * {@code state} ([mb, h] each, read at the start) back at the end.
     */
    static void forward(Forward[] passes, int steps, int width, FloatBuffer g, double[] mask, float[][] state,
            Stepped[] trace, Function<ForwardRows, ForwardPart> cell) {
        LayerThreads.run(passes.length, p -> {
            Forward pass = passes[p];
            int h = pass.h;
            float[][] mine = new float[state.length][];
            for (int k = 0; k < state.length; k++) {
                mine[k] = pass.rowsOf(state[k], h);
            }
            ForwardRows r = new ForwardRows(pass.rows, width, h, mine);
            ForwardPart part = cell.apply(r);
            double[] m = pass.mask(mask, steps);
            FloatBuffer gP = g.duplicate();
            FloatBuffer[] trP = trace == null ? null : duplicates(trace);
            for (int t = 0; t < steps; t++) {
                pass.recurrent(mine[0], r.z);
                gP.get(pass.at(t, width), r.g);
                part.step().run(m, t);
                pass.output(r.y, t);
                if (trP != null) {
                    for (int i = 0; i < trP.length; i++) {
                        trP[i].put(pass.at(t + trace[i].shift(), trace[i].width()), part.traced()[i]);
                    }
                }
            }
            for (int k = 0; k < state.length; k++) {
                pass.copyBack(mine[k], state[k], h);
            }
        });
    }

    /** One part's rows in a backward pass, made on the part's thread. */
    static final class BackwardRows {
        final int rows;
        /** The step's rows of the arrays read ({@code in} of {@link #backward}). */
        final float[][] in;
        /** The step's rows of the gradients written ({@code out}). */
        final float[][] out;
        /** The step's bias gradients summed over the rows, zeroed before each step. */
        final float[][] db;
        /** The gradient of the carried h, [rows, h]: the cell updates its direct part, the loop adds the product's. */
        final float[] dh;

        BackwardRows(int rows, int h, Stepped[] in, Stepped[] out, int[] biasWidths) {
            this.rows = rows;
            this.in = new float[in.length][];
            for (int i = 0; i < in.length; i++) {
                this.in[i] = new float[rows * in[i].width()];
            }
            this.out = new float[out.length][];
            for (int i = 0; i < out.length; i++) {
                this.out[i] = new float[rows * out[i].width()];
            }
            this.db = new float[biasWidths.length][];
            for (int i = 0; i < biasWidths.length; i++) {
                this.db[i] = new float[biasWidths[i]];
            }
            this.dh = new float[rows * h];
        }
    }

    /** A cell's backward step on one part's rows, given the step's epsilon rows. */
    interface BackStep {
        void run(float[] eps, double[] mask, int t);
    }

    /**
     * The threaded time loop of backprop in SIMD lanes, the same for every cell: each part runs steps T−1 … end on
     * its rows — reads the step's rows of {@code in}, runs the cell's step ({@code cell} makes it on the part's
     * thread), writes the step's rows of {@code out}, adds the step's bias gradients to the part's sums and, but at
     * the last step, adds {@code out[recurrent]}·RWᵀ to the carried dh. Returns the bias gradients (widths
     * {@code biasWidths}), the parts' sums added in part order.
     */
    static double[][] backward(Backward[] passes, int steps, int end, double[] mask, Stepped[] in, Stepped[] out,
            int recurrent, int[] biasWidths, Function<BackwardRows, BackStep> cell) {
        double[][][] db = new double[biasWidths.length][passes.length][];
        LayerThreads.run(passes.length, p -> {
            Backward pass = passes[p];
            BackwardRows r = new BackwardRows(pass.rows, pass.h, in, out, biasWidths);
            BackStep step = cell.apply(r);
            double[][] sums = new double[biasWidths.length][];
            for (int k = 0; k < biasWidths.length; k++) {
                sums[k] = db[k][p] = new double[biasWidths[k]];
            }
            FloatBuffer[] inP = duplicates(in);
            FloatBuffer[] outP = duplicates(out);
            double[] m = pass.mask(mask, steps);
            for (int t = steps - 1; t >= end; t--) {
                for (int i = 0; i < inP.length; i++) {
                    inP[i].get(pass.at(t + in[i].shift(), in[i].width()), r.in[i]);
                }
                for (float[] d : r.db) {
                    java.util.Arrays.fill(d, 0f);
                }
                step.run(pass.eps(t), m, t);
                for (int i = 0; i < outP.length; i++) {
                    outP[i].put(pass.at(t + out[i].shift(), out[i].width()), r.out[i]);
                }
                for (int k = 0; k < sums.length; k++) {
                    add(sums[k], r.db[k]);
                }
                if (t > end) {
                    pass.recurrent(r.out[recurrent], r.dh);
                }
            }
        });
        double[][] total = new double[biasWidths.length][];
        for (int k = 0; k < total.length; k++) {
            total[k] = sum(db[k]);
        }
        return total;
    }

    /** Copies of the buffers for one thread (same memory, own position and limit). */
    private static FloatBuffer[] duplicates(Stepped[] arrays) {
        FloatBuffer[] d = new FloatBuffer[arrays.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = arrays[i].buffer().duplicate();
        }
        return d;
    }

    /** sum += step, elementwise. */
    private static void add(double[] sum, float[] step) {
        for (int j = 0; j < sum.length; j++) {
            sum[j] += step[j];
        }
    }

    /** The parts' partial sums added in part order (so the same split gives the same bits). */
    private static double[] sum(double[][] partial) {
        double[] total = partial[0].clone();
        for (int p = 1; p < partial.length; p++) {
            for (int j = 0; j < total.length; j++) {
                total[j] += partial[p][j];
            }
        }
        return total;
    }
}
