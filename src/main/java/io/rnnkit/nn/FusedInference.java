package io.rnnkit.nn;

import io.rnnkit.nn.layers.FusedGRU;
import io.rnnkit.nn.layers.FusedLSTM;
import io.rnnkit.nn.layers.FusedLayers;
import io.rnnkit.nn.layers.FusedSimpleRnn;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Inference of a network of rnnkit's recurrent layers, run layer by layer beside {@link MultiLayerNetwork#output}:
 * the same answers without DL4J's per-call plumbing (workspaces, input checks, mask propagation, most of the output
 * layer's op calls), which for one short sequence cost more than the recurrence itself. Covered: rnnkit's fused cells
 * ({@link FusedLSTM}, {@link FusedGRU}, {@link FusedSimpleRnn}, plain or layer-normalised) stacked, the last one
 * wrapped in {@code LastTimeStep} or not, each possibly {@link Bidirectional} over fused cells, then an
 * {@code OutputLayer} (after {@code LastTimeStep}) or an {@code RnnOutputLayer}, NCW layout, FLOAT or DOUBLE — what
 * {@link NetworkBuilder} builds without an embedding layer. A fused layer writes its output into an array it keeps
 * ({@link FusedLayers#output}); a bidirectional one runs DL4J's own wrapper; the output layer is computed here.
 * Anything else — DL4J's cells, an embedding layer, input preprocessors, weight noise, the NWC layout, a mask with a
 * sequence of no real step — runs {@link MultiLayerNetwork#output} as before.
 *
 * <p>Results: the recurrent layers compute exactly what they compute inside {@code output}, and the output layer after
 * {@code LastTimeStep} runs ND4J's own product, bias and activation on a kept copy of the last steps, so a
 * many-to-one FLOAT answer is bit for bit {@code output}'s (and the streaming twin's after the last step). An
 * {@code RnnOutputLayer} runs in Java (summed in double, softmax with Java's {@code exp}): its answers agree with
 * {@code output}'s to float rounding.
 *
 * <p>Threads: one call at a time (calls are synchronized, as {@code output} is); the arrays kept belong to this
 * object and to the network's layers, so a server keeps one per replica of the network.
 */
public final class FusedInference {

    private final MultiLayerNetwork net;
    /** The layers the plan was made for; a network re-initialised since gets a new plan. */
    private Layer[] planned;
    /** The recurrent stages in order, or null: the network is not covered and runs {@code output}. */
    private List<Stage> stages;
    private Head head;

    private FusedInference(MultiLayerNetwork net) {
        this.net = net;
        plan();
    }

    /** Inference of {@code net}, direct when its layers are covered, else through {@code output}. */
    public static FusedInference of(MultiLayerNetwork net) {
        return new FusedInference(net);
    }

    public MultiLayerNetwork network() {
        return net;
    }

    /** Whether calls bypass {@link MultiLayerNetwork#output} (false: the network has a layer not covered). */
    public synchronized boolean direct() {
        if (planned != net.getLayers()) {
            plan();
        }
        return stages != null;
    }

    /**
     * The network's output for {@code features} {@code [mb, nIn, T]} with the feature mask {@code mask}
     * {@code [mb, T]} (null: every step real): {@code [mb, nOut]} after {@code LastTimeStep}, else
     * {@code [mb, nOut, T]}. A new array, the caller's to keep. The layers keep no input or mask afterwards.
     */
    public synchronized INDArray output(INDArray features, INDArray mask) {
        if (!direct() || features.rank() != 3 || mask != null && lastSteps(mask) == null) {
            return viaNetwork(features, mask);
        }
        DataType type = net.getLayerWiseConfigurations().getDataType();
        INDArray x = features.dataType() == type ? features : features.castTo(type); // as output casts it
        for (Stage stage : stages) {
            x = stage.output(x, mask);
        }
        boolean rows = !head.perStep();
        // a fused cell under LastTimeStep gives all steps: the head reads each sequence's last; a wrapper gives [mb, n]
        return head.output(x, rows, rows && x.rank() == 3 && mask != null ? lastSteps(mask) : null);
    }

    /** What the network's own {@code output} gives, with the layers cleared of the input and mask afterwards. */
    private INDArray viaNetwork(INDArray features, INDArray mask) {
        INDArray o = net.output(features, false, mask, null);
        // the layers keep this input and mask until cleared (memory held between calls); the layers only:
        // MultiLayerNetwork.clear() would also drop the solver, and with it a training network's updater state
        net.clearLayerMaskArrays();
        for (Layer layer : net.getLayers()) {
            layer.clear();
        }
        return o;
    }

    /** Per sequence of the mask, its last real step (DL4J's LastTimeStep), or null if a sequence has none. */
    private static int[] lastSteps(INDArray mask) {
        int mb = (int) mask.size(0);
        int steps = (int) mask.size(mask.rank() - 1);
        int[] last = new int[mb];
        Reader m = new Reader(mask.dataType() == DataType.FLOAT || mask.dataType() == DataType.DOUBLE ? mask
                : mask.castTo(DataType.FLOAT));
        for (int i = 0; i < mb; i++) {
            last[i] = -1;
            for (int t = steps - 1; t >= 0; t--) {
                if (m.get(i, t) != 0) {
                    last[i] = t;
                    break;
                }
            }
            if (last[i] < 0) {
                return null;
            }
        }
        return last;
    }

    private void plan() {
        planned = net.getLayers();
        stages = null;
        head = null;
        Layer[] layers = planned;
        int n = layers.length;
        if (n < 2 || !(net.getLayerWiseConfigurations().getDataType() == DataType.FLOAT
                || net.getLayerWiseConfigurations().getDataType() == DataType.DOUBLE)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (net.getLayerWiseConfigurations().getInputPreProcess(i) != null) {
                return;
            }
        }
        List<Stage> planStages = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            Stage stage = Stage.of(layers[i]);
            if (stage == null || i > 0 && planStages.get(i - 1).lastStep) {
                return;
            }
            planStages.add(stage);
        }
        boolean lastStep = planStages.get(n - 2).lastStep;
        Head h = Head.of(layers[n - 1], lastStep, net.getLayerWiseConfigurations().getDataType());
        if (h == null) {
            return;
        }
        stages = planStages;
        head = h;
    }

    /** One recurrent layer: rnnkit's cell, possibly in {@code LastTimeStep}, or a bidirectional wrapper of them. */
    private static final class Stage {
        /** rnnkit's cell, run through {@link FusedLayers#output}; null for a wrapper run as DL4J runs it. */
        final Layer fused;
        /** The layer DL4J runs ({@code activate}); null for a fused cell. */
        final Layer wrapper;
        /** Whether this layer gives each sequence's last step only. */
        final boolean lastStep;
        private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

        private Stage(Layer fused, Layer wrapper, boolean lastStep) {
            this.fused = fused;
            this.wrapper = wrapper;
            this.lastStep = lastStep;
        }

        static Stage of(Layer layer) {
            boolean last = layer instanceof LastTimeStepLayer;
            Layer inner = last ? ((LastTimeStepLayer) layer).getUnderlying() : layer;
            if (FusedLayers.isFused(inner)) {
                return new Stage(inner, null, last);
            }
            if (inner instanceof BidirectionalLayer && inner.conf().getLayer() instanceof Bidirectional b
                    && (b.getFwd() instanceof FusedLSTM || b.getFwd() instanceof FusedGRU || b.getFwd() instanceof FusedSimpleRnn)
                    && b.getRNNDataFormat() == RNNFormat.NCW && ((BaseLayer) b.getFwd()).getWeightNoise() == null) {
                return new Stage(null, layer, last);
            }
            return null;
        }

        /**
         * The layer's output for {@code x} and the network's feature mask: [mb, n, T] for a cell (the fused cell's
         * kept array, also under {@code LastTimeStep}: the head reads the last steps), [mb, n] or [mb, n, T] as DL4J's
         * wrapper gives it.
         */
        INDArray output(INDArray x, INDArray mask) {
            if (fused != null) {
                return FusedLayers.output(fused, x, mask);
            }
            wrapper.setInput(x, mgr);
            wrapper.feedForwardMaskArray(mask, MaskState.Active, (int) x.size(0));
            try {
                return wrapper.activate(false, mgr);
            } finally {
                wrapper.clear();
            }
        }
    }

    /** The output layer in Java: z = x·W + b per row, then its activation. */
    /** @param kept the array the rows of the last steps are copied into, kept between calls (one element) */
    private record Head(Layer layer, boolean perStep, IActivation activation, DataType dataType, INDArray[] kept) {

        /** The head after recurrent layers ending in {@code LastTimeStep} ({@code lastStep}) or not; null if not covered. */
        static Head of(Layer layer, boolean lastStep, DataType dataType) {
            boolean rnnOut = layer instanceof RnnOutputLayer;
            if (!(rnnOut ? !lastStep : lastStep && layer instanceof OutputLayer)) {
                return null;
            }
            BaseLayer conf = (BaseLayer) layer.conf().getLayer();
            if (conf.getWeightNoise() != null || rnnOut
                    && ((org.deeplearning4j.nn.conf.layers.RnnOutputLayer) conf).getRnnDataFormat() != RNNFormat.NCW) {
                return null;
            }
            return new Head(layer, rnnOut, conf.getActivationFn(), dataType, new INDArray[1]);
        }

        /**
         * The head's output for {@code x}: [mb, n] rows ({@code rows}: from a [mb, n, T] cell output, the steps
         * {@code last} or T − 1; or from a wrapper's [mb, n]), or every step of [mb, n, T] ({@link #perStep()}), the
         * latter in Java (summed in double, softmax with Java's exp).
         */
        INDArray output(INDArray x, boolean rows, int[] last) {
            if (rows) {
                return rows(x, last);
            }
            Reader w = new Reader(layer.getParam("W"));
            INDArray bias = layer.getParam("b");
            Reader b = bias == null ? null : new Reader(bias);
            Reader in = new Reader(x);
            int nIn = (int) w.shape[0];
            int nOut = (int) w.shape[1];
            int mb = (int) x.size(0);
            int steps = (int) x.size(2);
            int outRows = mb * steps;
            double[] z = new double[outRows * nOut];
            double[] row = new double[nIn];
            // output row r: example i at step t, as DL4J's [mb·T, nOut] rows
            for (int r = 0; r < outRows; r++) {
                int i = r % mb;
                int t = r / mb;
                for (int j = 0; j < nIn; j++) {
                    row[j] = in.get(i, j, t);
                }
                for (int k = 0; k < nOut; k++) {
                    double s = 0;
                    for (int j = 0; j < nIn; j++) {
                        s += row[j] * w.get(j, k);
                    }
                    z[r * nOut + k] = round(s) + (b == null ? 0 : b.element(k));
                }
            }
            round(z);
            double[] a = activate(z, outRows, nOut);
            // rows i + mb·t of [mb·T, nOut] to [mb, nOut, T] 'f': element (i, k, t) at i + mb·(k + nOut·t)
            double[] seq = new double[a.length];
            for (int r = 0; r < outRows; r++) {
                for (int k = 0; k < nOut; k++) {
                    seq[r % mb + mb * (k + nOut * (r / mb))] = a[r * nOut + k];
                }
            }
            return create(seq, new long[] {mb, nOut, steps}, 'f');
        }

        /**
         * The output layer on one row per sequence, with ND4J's own operations as DL4J's {@code OutputLayer} runs them
         * (product, bias, activation in place), on the rows copied into an array kept for the next call: so a model's
         * answer for a sequence is bit for bit what its streaming twin gives after the sequence's last step.
         */
        private INDArray rows(INDArray x, int[] last) {
            INDArray w = layer.getParam("W");
            INDArray b = layer.getParam("b");
            int mb = (int) x.size(0);
            INDArray in = x;
            if (x.rank() == 3) {
                int nIn = (int) x.size(1);
                int steps = (int) x.size(2);
                in = kept[0];
                if (in == null || in.size(0) != mb || in.size(1) != nIn) {
                    in = kept[0] = Nd4j.createUninitialized(dataType, new long[] {mb, nIn}, 'f');
                }
                Reader from = new Reader(x);
                java.nio.Buffer to = dataType == DataType.FLOAT ? in.data().asNioFloat() : in.data().asNioDouble();
                for (int i = 0; i < mb; i++) {
                    int t = last == null ? steps - 1 : last[i];
                    for (int j = 0; j < nIn; j++) {
                        if (to instanceof FloatBuffer f) {
                            f.put(i + mb * j, (float) from.get(i, j, t));
                        } else {
                            ((DoubleBuffer) to).put(i + mb * j, from.get(i, j, t));
                        }
                    }
                }
            }
            int nOut = (int) w.size(1);
            INDArray z = Nd4j.createUninitialized(dataType, new long[] {mb, nOut}, 'f');
            in.castTo(dataType).mmuli(w, z);
            if (b != null) {
                // the bias added in Java: one rounded addition per value, as ND4J's broadcast does it, without its op call
                Reader bias = new Reader(b);
                java.nio.Buffer values = dataType == DataType.FLOAT ? z.data().asNioFloat() : z.data().asNioDouble();
                for (int k = 0; k < nOut; k++) {
                    for (int i = 0; i < mb; i++) {
                        int at = i + mb * k;
                        if (values instanceof FloatBuffer f) {
                            f.put(at, f.get(at) + (float) bias.element(k));
                        } else {
                            DoubleBuffer d = (DoubleBuffer) values;
                            d.put(at, d.get(at) + bias.element(k));
                        }
                    }
                }
            }
            return activation.getActivation(z, false);
        }

        /** The activation over rows of {@code z} [rows, nOut] (softmax and identity here, others by ND4J). */
        private double[] activate(double[] z, int rows, int nOut) {
            if (activation instanceof ActivationIdentity) {
                return z;
            }
            if (activation instanceof ActivationSoftmax) {
                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < nOut; k++) {
                        max = Math.max(max, z[r * nOut + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < nOut; k++) {
                        double e = Math.exp(z[r * nOut + k] - max);
                        z[r * nOut + k] = e;
                        sum += e;
                    }
                    for (int k = 0; k < nOut; k++) {
                        z[r * nOut + k] /= sum;
                    }
                }
                round(z);
                return z;
            }
            INDArray pre = create(z, new long[] {rows, nOut}, 'c');
            return activation.getActivation(pre, false).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }

        /** A value rounded to the network's precision (FLOAT: to float, as each of its operations rounds). */
        private double round(double v) {
            return dataType == DataType.FLOAT ? (float) v : v;
        }

        private void round(double[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = round(v[i]);
            }
        }

        private INDArray create(double[] values, long[] shape, char order) {
            if (dataType == DataType.DOUBLE) {
                return Nd4j.create(values, shape, order);
            }
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            return Nd4j.create(f, shape, order);
        }
    }

    /** Reads the elements of a FLOAT or DOUBLE array of rank 2 or 3 through its buffer and strides (no copy). */
    private static final class Reader {
        private final FloatBuffer floats;
        private final DoubleBuffer doubles;
        private final long offset;
        private final long[] stride;
        final long[] shape;

        Reader(INDArray a) {
            boolean isFloat = a.dataType() == DataType.FLOAT;
            this.floats = isFloat ? a.data().asNioFloat() : null;
            this.doubles = isFloat ? null : a.data().asNioDouble();
            this.offset = a.offset();
            this.stride = a.stride();
            this.shape = a.shape();
        }

        double get(long i, long j) {
            return at(offset + i * stride[0] + j * stride[1]);
        }

        double get(long i, long j, long t) {
            return at(offset + i * stride[0] + j * stride[1] + t * stride[2]);
        }

        /** Element k of a vector (rank 1, or a row [1, n]). */
        double element(long k) {
            return at(offset + k * stride[stride.length - 1]);
        }

        private double at(long index) {
            return floats != null ? floats.get((int) index) : doubles.get((int) index);
        }
    }
}
