package io.rnnkit.nn.layers;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data movement around the cells' SIMD kernels that the three layers share: each step, the carried
 * state goes into ND4J memory for the recurrent product (prepared once, {@link CpuBlas#product}) and the
 * product comes back as Java rows; the step's output goes into the layer output; in backprop, the step's
 * epsilon comes out as rows and the gate gradients' product with RWᵀ is added to the carried gradient.
 * Rows are row-major [mb, width] float arrays, as the kernels take them.
 */
final class LanesSteps {

    private LanesSteps() {
    }

    /** A forward pass: state h_{t−1} in, h_{t−1}·RW out, outputs to {@code out} ('f', [mb, h, T]). */
    static final class Forward {
        private final FloatBuffer state;
        private final FloatBuffer product;
        private final FloatBuffer out;
        private final CpuBlas.Product recurrent;
        private final float[] transposed;
        private final int mb;
        private final int h;

        /** {@code hPrev} 'c' [mb, h] and {@code z} 'c' [mb, width] are the product's buffers. */
        Forward(INDArray hPrev, INDArray rw, INDArray z, INDArray out, int mb, int h) {
            this.state = FloatLanes.view(hPrev);
            this.product = FloatLanes.view(z);
            this.out = FloatLanes.view(out);
            this.recurrent = CpuBlas.product(hPrev, false, rw, false, z);
            this.transposed = new float[mb * h];
            this.mb = mb;
            this.h = h;
        }

        /** zRows ← hRows·RW. */
        void recurrent(float[] hRows, float[] zRows) {
            state.put(0, hRows);
            recurrent.run(0.0);
            product.get(0, zRows);
        }

        /** Step t of the layer output from the rows {@code y} [mb, h]. */
        void output(float[] y, int t) {
            FloatLanes.writeStep(out, y, transposed, mb, h, t);
        }
    }

    /** A backward pass: the epsilon of each step as rows, and dh += dz·RWᵀ. */
    static final class Backward {
        private final FloatBuffer eps;
        private final long[] epsStride;
        private final FloatBuffer gateGradient;
        private final FloatBuffer stateGradient;
        private final CpuBlas.Product recurrent;
        private final float[] epsRows;
        private final float[] fromProduct;
        private final float[] transposed;
        private final int mb;
        private final int h;

        /** {@code eps} [mb, h, T] any layout (checked by the layer); {@code width} the gate columns of RW. */
        Backward(INDArray eps, INDArray rw, int width, int mb, int h, DataType type, LayerWorkspaceMgr mgr) {
            this.eps = FloatLanes.view(eps);
            this.epsStride = eps.stride();
            INDArray dz = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {mb, width}, 'c');
            INDArray dh = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, type, new long[] {mb, h}, 'c');
            this.gateGradient = FloatLanes.view(dz);
            this.stateGradient = FloatLanes.view(dh);
            this.recurrent = CpuBlas.product(dz, false, rw, true, dh);
            this.epsRows = new float[mb * h];
            this.fromProduct = new float[mb * h];
            this.transposed = new float[mb * h];
            this.mb = mb;
            this.h = h;
        }

        /** The epsilon of step t as rows [mb, h] (the same array every call). */
        float[] eps(int t) {
            FloatLanes.readStep(eps, epsStride, epsRows, transposed, mb, h, t);
            return epsRows;
        }

        /** dhRows += dzRows·RWᵀ: the gradient reaching the state before the step through the product. */
        void recurrent(float[] dzRows, float[] dhRows) {
            gateGradient.put(0, dzRows);
            recurrent.run(0.0);
            stateGradient.get(0, fromProduct);
            VectorMath.addInto(dhRows, fromProduct, fromProduct.length);
        }
    }
}
