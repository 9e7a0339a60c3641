package io.rnnkit.bench;

import io.rnnkit.nn.FusedInference;
import io.rnnkit.nn.layers.FusedGRU;
import io.rnnkit.nn.layers.FusedLSTM;
import io.rnnkit.nn.layers.FusedSimpleRnn;
import io.rnnkit.nn.layers.LayerThreads;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Training and inference speed of rnnkit's layers (GRU, LSTM, SimpleRnn: {@code gru},
 * {@code rnnkit-lstm}, {@code rnnkit-simplernn}) beside DL4J's own LSTM and SimpleRnn ({@code lstm},
 * {@code simplernn}) of the same width, in one process, so all implementations see the same machine
 * state.
 *
 * <p>Workloads: {@code m2o-*-128} (batch 64, T 60, 1 input, 128 units, LastTimeStep + 6-class output)
 * and {@code m2m-*-256x2} (batch 32, T 100, 65 inputs, two layers of 256, RnnOutputLayer with 65
 * classes). Each implementation is trained on one fixed batch: warm-up fits first, then timed fits
 * interleaved across implementations (the order rotating each round), then single-sequence inference
 * on batch 1 after all training rounds, as many rounds, also interleaved (wall time and the calling thread's CPU
 * time, which leaves out time the thread was descheduled or stopped): rnnkit's cells through rnnkit's inference path ({@link FusedInference}, what
 * the bundle API and the server run), DL4J's cells through their network's {@code output()}. Prints one JSON line per workload × implementation
 * with medians (and the inference p99; also the median CPU time of the first call of each implementation's block of
 * inference calls, which runs right after another implementation's, and the p99 of the calls after it).
 *
 * <p>{@code gflops} is model arithmetic per second: the matrix products of the forward pass (input
 * and recurrent weights of every gate, output layer) times three for forward plus backward, divided by
 * the median time per batch. Work an implementation does beyond that (DL4J's LSTM runs its forward
 * pass twice per fit) is not counted. {@code cblas_step_gflops} is CBLAS's own rate at the shape of
 * one step's recurrent product (see {@link #stepGemmGflops}), measured in the same rounds: the
 * ceiling for a layer whose time is all in those products.
 *
 * <p>Run with one OpenMP thread ({@code OMP_NUM_THREADS=1}, see docs/benchmarks.md): with ND4J's
 * defaults a 2-core machine is oversubscribed. Arguments: {@code [--rounds N] [--warmup N]
 * [--infer N] [--threads N] [workload ...]}; {@code --threads} sets the threads of rnnkit's layers
 * ({@link LayerThreads}, default all cores). DL4J's layers run as they always did in this benchmark (one
 * OpenMP thread, ND4J's BLAS settings), so their figures stay the baseline.
 */
public final class RecurrentBenchmark {

    private RecurrentBenchmark() {
    }

    /** One workload: its shape and which cell types to compare on it. */
    public record Workload(String name, int batch, int steps, int nIn, int hidden, int layers, int classes,
            boolean manyToOne, List<String> cells) {
    }

    /** The implementations {@link #recurrent} builds. */
    public static final List<String> CELLS = List.of("lstm", "rnnkit-lstm", "gru", "simplernn", "rnnkit-simplernn");

    public static final List<Workload> WORKLOADS = List.of(
            new Workload("m2o-*-128", 64, 60, 1, 128, 1, 6, true, List.of("lstm", "rnnkit-lstm", "gru", "simplernn",
                    "rnnkit-simplernn")),
            new Workload("m2m-*-256x2", 32, 100, 65, 256, 2, 65, false, List.of("lstm", "rnnkit-lstm", "gru")));

    public static void main(String[] args) {
        int rounds = 9;
        int warmup = 25; // C2 needs tens of fits to compile the SIMD kernels (with 3, the GRU was measured half-compiled)
        int inferPerRound = 20;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--infer" -> inferPerRound = Integer.parseInt(args[++i]);
                case "--threads" -> LayerThreads.set(Integer.parseInt(args[++i]));
                default -> only.add(args[i]);
            }
        }
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            System.err.println("note: OMP_NUM_THREADS is not 1; on a 2-core machine results will be slower and noisier");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        for (Workload w : WORKLOADS) {
            if (only.isEmpty() || only.contains(w.name())) {
                run(w, rounds, warmup, inferPerRound);
            }
        }
    }

    /**
     * Measures one workload and prints its JSON lines; with {@code inferPerRound} 0 training only (no
     * {@code infer_*} fields).
     */
    public static void run(Workload w, int rounds, int warmup, int inferPerRound) {
        Nd4j.getRandom().setSeed(42);
        INDArray features = Nd4j.rand(DataType.FLOAT, w.batch(), w.nIn(), w.steps()).subi(0.5);
        INDArray labels = oneHot(1, DataType.FLOAT, w.batch(), w.classes(), w.manyToOne() ? 0 : w.steps());
        DataSet batch = new DataSet(features, labels);
        INDArray single = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();

        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        Map<String, Function<INDArray, INDArray>> answers = new LinkedHashMap<>();
        for (String cell : w.cells()) {
            MultiLayerNetwork net = network(w, cell);
            // rnnkit's cells answer through rnnkit's inference path, DL4J's through its own output (the baseline)
            FusedInference fused = FusedInference.of(net);
            Function<INDArray, INDArray> answer = fused.direct() ? x -> fused.output(x, null) : net::output;
            for (int i = 0; i < warmup; i++) {
                net.fit(batch);
                if (inferPerRound > 0) {
                    answer.apply(single);
                }
            }
            nets.put(cell, net);
            answers.put(cell, answer);
        }
        // the BLAS rate at the shape of each step's recurrent product, measured between the same rounds
        Map<Integer, List<Double>> blasRuns = new LinkedHashMap<>();
        Map<String, List<Double>> train = new LinkedHashMap<>();
        Map<String, List<Double>> infer = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(w.cells());
        for (int r = 0; r < rounds; r++) {
            for (String cell : order) {
                MultiLayerNetwork net = nets.get(cell);
                long t0 = System.nanoTime();
                net.fit(batch);
                train.computeIfAbsent(cell, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
            }
            for (int g : w.cells().stream().map(RecurrentBenchmark::gates).distinct().toList()) {
                blasRuns.computeIfAbsent(g, x -> new ArrayList<>()).add(stepGemmGflops(w, g));
            }
            order.add(order.remove(0)); // rotate, so no implementation always runs first
        }
        // inference after training, as a serving process runs it: calls timed in the gaps between fits measured the
        // collection of the fits' garbage (GC, ND4J's deallocator thread) as much as the calls themselves
        Map<String, List<Double>> inferCpu = new LinkedHashMap<>();
        // the first call of each block (right after another implementation's calls) apart from the others: it finds
        // the caches and predictors full of the other implementation's data and code (docs/benchmarks.md)
        Map<String, List<Double>> firstCpu = new LinkedHashMap<>();
        Map<String, List<Double>> warm = new LinkedHashMap<>();
        Map<String, List<Double>> warmCpu = new LinkedHashMap<>();
        java.lang.management.ThreadMXBean threadTimes = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (String cell : order) {
                Function<INDArray, INDArray> answer = answers.get(cell);
                for (int i = 0; i < inferPerRound; i++) {
                    long c0 = threadTimes.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    answer.apply(single);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    double cpuMs = (threadTimes.getCurrentThreadCpuTime() - c0) / 1e6;
                    infer.computeIfAbsent(cell, k -> new ArrayList<>()).add(ms);
                    inferCpu.computeIfAbsent(cell, k -> new ArrayList<>()).add(cpuMs);
                    if (i == 0) {
                        firstCpu.computeIfAbsent(cell, k -> new ArrayList<>()).add(cpuMs);
                    } else {
                        warm.computeIfAbsent(cell, k -> new ArrayList<>()).add(ms);
                        warmCpu.computeIfAbsent(cell, k -> new ArrayList<>()).add(cpuMs);
                    }
                }
            }
            order.add(order.remove(0));
        }
        Map<Integer, Double> blas = new LinkedHashMap<>();
        blasRuns.forEach((g, v) -> blas.put(g, percentile(v, 50)));
        for (String cell : w.cells()) {
            double ms = percentile(train.get(cell), 50);
            double gflops = trainingFlops(w, cell) / (ms / 1e3) / 1e9;
            String inference = inferPerRound == 0 ? "" : String.format(Locale.ROOT,
                    "\"infer_single_ms_p50\":%.3f,\"infer_single_ms_p99\":%.3f,\"infer_single_cpu_ms_p50\":%.3f,"
                            + "\"infer_single_cpu_ms_p99\":%.3f,\"infer_single_cpu_ms_first_p50\":%.3f,%s",
                    percentile(infer.get(cell), 50), percentile(infer.get(cell), 99), percentile(inferCpu.get(cell), 50),
                    percentile(inferCpu.get(cell), 99), percentile(firstCpu.get(cell), 50),
                    !warm.containsKey(cell) ? "" : String.format(Locale.ROOT, // none with one call a block
                            "\"infer_single_ms_p99_after_first\":%.3f,\"infer_single_cpu_ms_p99_after_first\":%.3f,",
                            percentile(warm.get(cell), 99), percentile(warmCpu.get(cell), 99)));
            System.out.println(String.format(Locale.ROOT,
                    "{\"workload\":\"%s\",\"impl\":\"%s\",\"train_seq_per_s\":%.1f,\"train_ms_per_batch_p50\":%.2f,"
                            + "%s\"gflops\":%.2f,\"cblas_step_gflops\":%.2f,\"blas\":\"%s\",\"simd\":%s,\"threads\":%d}",
                    w.name().replace("*", cell), cell, w.batch() / (ms / 1e3), ms, inference, gflops, blas.get(gates(cell)),
                    Nd4j.factory().blas().getBlasVendor(), io.rnnkit.nn.layers.FloatLanes.available(), threads(cell)));
        }
    }

    /** The thread count an implementation trains with: DL4J's own layers always run on one. */
    static int threads(String cell) {
        return isDl4j(cell) ? 1 : LayerThreads.get();
    }

    /** Whether the implementation is one of DL4J's own layers (the baseline), not rnnkit's. */
    static boolean isDl4j(String cell) {
        return cell.equals("lstm") || cell.equals("simplernn");
    }

    public static MultiLayerNetwork network(Workload w, String cell) {
        return network(w, cell, 0);
    }

    /**
     * The workload's network for one implementation, trained by truncated BPTT over segments of {@code tbptt}
     * steps (forward and backward) when that is positive, else by backpropagation through the whole sequence.
     */
    public static MultiLayerNetwork network(Workload w, String cell, int tbptt) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).list();
        for (int l = 0; l < w.layers(); l++) {
            BaseRecurrentLayer layer = recurrent(cell, w.hidden());
            b.layer(w.manyToOne() && l == w.layers() - 1 ? new LastTimeStep(layer) : layer);
        }
        if (w.manyToOne()) {
            b.layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(w.classes()).build());
        } else {
            b.layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(w.classes())
                    .build());
        }
        if (tbptt > 0) {
            b.backpropType(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT).tBPTTForwardLength(tbptt)
                    .tBPTTBackwardLength(tbptt);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.recurrent(w.nIn())).build());
        net.init();
        return net;
    }

    /** The cell types, built the same way (tanh activation, default gates and initialisation). */
    static BaseRecurrentLayer recurrent(String cell, int hidden) {
        return switch (cell) {
            case "lstm" -> new LSTM.Builder().nOut(hidden).activation(Activation.TANH).build();
            case "rnnkit-lstm" -> new FusedLSTM.Builder().nOut(hidden).activation(Activation.TANH).build();
            case "gru" -> new FusedGRU.Builder().nOut(hidden).activation(Activation.TANH).build();
            case "simplernn" -> new SimpleRnn.Builder().nOut(hidden).activation(Activation.TANH).build();
            case "rnnkit-simplernn" -> new FusedSimpleRnn.Builder().nOut(hidden)
                    .activation(Activation.TANH).build();
            default -> throw new IllegalArgumentException("unknown cell " + cell);
        };
    }

    /** Gates per cell: the number of [nIn + H] × H weight blocks a step multiplies by. */
    static int gates(String cell) {
        return switch (cell) {
            case "lstm", "rnnkit-lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
    }

    /**
     * GFLOP/s of CBLAS sgemm (the BLAS ND4J loads) at the shape of one step's recurrent product,
     * [batch, H]·[H, gates·H], over as many calls as one training batch makes (forward and the two
     * products of backprop per step and layer; repeated until 20 ms have passed), without any work between them: the rate the
     * recurrent layers could reach if they did nothing but these products.
     */
    static double stepGemmGflops(Workload w, int gates) {
        int m = w.batch();
        int k = w.hidden();
        int n = gates * w.hidden();
        try (org.bytedeco.javacpp.FloatPointer a = new org.bytedeco.javacpp.FloatPointer((long) m * k);
                org.bytedeco.javacpp.FloatPointer b = new org.bytedeco.javacpp.FloatPointer((long) k * n);
                org.bytedeco.javacpp.FloatPointer c = new org.bytedeco.javacpp.FloatPointer((long) m * n)) {
            a.fill(1);
            b.fill(1);
            int perBatch = 2 * w.steps() * w.layers();
            long calls = 0;
            long t0 = System.nanoTime();
            // a batch's calls at least, and at least 20 ms of them: at small widths one batch's calls take well under a
            // millisecond, where one preemption would decide the figure
            do {
                for (int i = 0; i < perBatch; i++) {
                    org.bytedeco.openblas.global.openblas.cblas_sgemm(org.bytedeco.openblas.global.openblas.CblasColMajor,
                            org.bytedeco.openblas.global.openblas.CblasNoTrans,
                            org.bytedeco.openblas.global.openblas.CblasNoTrans, m, n, k, 1f, a, m, b, k, 0f, c, m);
                }
                calls += perBatch;
            } while (System.nanoTime() - t0 < 20_000_000L);
            double s = (System.nanoTime() - t0) / 1e9;
            return 2.0 * m * n * k * calls / s / 1e9;
        }
    }

    /** Multiply-adds × 2 of one forward pass, × 3 for forward and backward. */
    static double trainingFlops(Workload w, String cell) {
        double forward = 0;
        int in = w.nIn();
        for (int l = 0; l < w.layers(); l++) {
            forward += 2.0 * w.batch() * w.steps() * (in + w.hidden()) * gates(cell) * w.hidden();
            in = w.hidden();
        }
        forward += 2.0 * w.batch() * (w.manyToOne() ? 1 : w.steps()) * w.hidden() * w.classes();
        return 3 * forward;
    }

    static double percentile(List<Double> values, double p) {
        return Percentiles.of(values.stream().mapToDouble(Double::doubleValue).toArray(), p);
    }

    /**
     * One-hot labels {@code [batch, classes, steps]} ({@code [batch, classes]} when steps is 0) with
     * classes drawn from a fixed seed.
     */
    public static INDArray oneHot(long seed, DataType type, int batch, int classes, int steps) {
        java.util.Random r = new java.util.Random(seed);
        INDArray out = steps == 0 ? Nd4j.zeros(type, batch, classes) : Nd4j.zeros(type, batch, classes, steps);
        for (int i = 0; i < batch; i++) {
            if (steps == 0) {
                out.putScalar(i, r.nextInt(classes), 1.0);
            }
            for (int t = 0; t < steps; t++) {
                out.putScalar(new long[] {i, r.nextInt(classes), t}, 1.0);
            }
        }
        return out;
    }
}
