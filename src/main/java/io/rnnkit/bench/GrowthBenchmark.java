package io.rnnkit.bench;

import io.rnnkit.bench.RecurrentBenchmark.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How training cost grows with the sequence length and with the layer width (issue 20, part 5;
 * docs/benchmarks.md, "How cost grows: sequence length and width"). The growth with the data's size is
 * {@link DataSizeBenchmark}'s.
 *
 * <p>Both sweeps train a one-layer many-to-many network ({@value #N_IN} inputs, {@value #CLASSES}-class
 * {@code RnnOutputLayer}, Adam) as {@link RecurrentBenchmark} builds it, rnnkit's layers beside DL4J's own in
 * the same process.
 */
public final class GrowthBenchmark {
    static final int N_IN = 8;
    static final int CLASSES = 8;
    /** Steps of the JIT warm-up fits at most: the compiled code does not depend on the length. */
    private static final int WARMUP_STEPS = 100;

    private GrowthBenchmark() {
    }

    /**
     * Time per epoch and activation memory against the sequence length, with backpropagation through the
     * whole sequence and, when {@code tbptt} is positive, through segments of that many steps.
     *
     * <p>An epoch is {@code sequences} sequences in minibatches of {@code batch} (one fixed minibatch fitted
     * {@code ceil(sequences / batch)} times). Each configuration gets a network of its own, one untimed fit
     * (in which DL4J's workspaces learn their size), then {@code rounds} timed epochs; configurations run one
     * after the other, not interleaved, because the workspaces of one thread are shared by every network on it.
     * Memory is what DL4J's workspaces on the training thread took, where DL4J's layers and rnnkit's put their
     * activations, the arrays kept for backprop and their working memory: {@code workspace_peak_mb} sums each
     * workspace's largest single cycle (the memory asked for at once), {@code workspace_held_mb} the sizes they
     * hold afterwards (with DL4J's over-allocation). The Java heap is not counted: the layers keep nothing there
     * that grows with the length.
     *
     * @param dl4jMaxSteps DL4J's layers run only up to this length (at ~1 ms a step they would take minutes an epoch beyond)
     */
    public record LengthSweep(List<Integer> lengths, int tbptt, List<String> cells, int batch, int hidden,
            int sequences, int rounds, int warmup, int dl4jMaxSteps) {

        public void run() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            warmUp(cells, batch, Math.min(WARMUP_STEPS, java.util.Collections.min(lengths)), hidden, warmup);
            int fits = Math.max(1, (sequences + batch - 1) / batch);
            for (int steps : lengths) {
                Workload w = workload("seq-*-" + steps, batch, steps, hidden, cells);
                DataSet data = data(w);
                for (int truncation : tbptt > 0 ? List.of(0, tbptt) : List.of(0)) {
                    for (String cell : cells) {
                        if (RecurrentBenchmark.isDl4j(cell) && steps > dl4jMaxSteps) {
                            continue;
                        }
                        measure(w, cell, truncation, data, fits);
                    }
                }
            }
        }

        private void measure(Workload w, String cell, int truncation, DataSet data, int fits) {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            MultiLayerNetwork net = RecurrentBenchmark.network(w, cell, truncation);
            net.fit(data);
            List<Double> epochs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < fits; i++) {
                    net.fit(data);
                }
                epochs.add((System.nanoTime() - t0) / 1e9);
            }
            long peak = 0;
            long held = 0;
            for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
                peak += ws.getMaxCycleAllocations();
                held += ws.getCurrentSize();
            }
            double epoch = RecurrentBenchmark.percentile(epochs, 50);
            double gflops = RecurrentBenchmark.trainingFlops(w, cell) * fits / epoch / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "{\"sweep\":\"seq-length\",\"impl\":\"%s\",\"steps\":%d,\"tbptt\":%d,\"batch\":%d,\"hidden\":%d,"
                            + "\"sequences\":%d,\"epoch_s_p50\":%.3f,\"epoch_s_min\":%.3f,\"epoch_s_max\":%.3f,"
                            + "\"us_per_batch_step\":%.2f,\"gflops\":%.2f,\"workspace_peak_mb\":%.2f,\"workspace_held_mb\":%.2f,"
                            + "\"blas\":\"%s\",\"threads\":%d}",
                    cell, w.steps(), truncation, w.batch(), w.hidden(), fits * w.batch(), epoch,
                    RecurrentBenchmark.percentile(epochs, 0), RecurrentBenchmark.percentile(epochs, 100),
                    epoch / fits / w.steps() * 1e6, gflops, peak / 1e6, held / 1e6,
                    Nd4j.factory().blas().getBlasVendor(), RecurrentBenchmark.threads(cell)));
            System.out.flush();
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    /**
     * Training GFLOP/s against the width, beside CBLAS's rate at the shape of one step's recurrent product at that
     * width, measured between the same rounds ({@link RecurrentBenchmark#run} on one workload per width, training
     * only: its {@code gflops} and {@code cblas_step_gflops}). The JIT warm-up ({@code warmup} fits) runs at the
     * first width; later widths get one untimed fit each.
     */
    public record WidthSweep(List<Integer> widths, List<String> cells, int batch, int steps, int rounds, int warmup) {

        public void run() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            for (int i = 0; i < widths.size(); i++) {
                int width = widths.get(i);
                Workload w = new Workload("width-*-" + width, batch, steps, N_IN, width, 1, CLASSES, false, cells);
                RecurrentBenchmark.run(w, rounds, i == 0 ? Math.max(1, warmup) : 1, 0);
                System.out.flush();
            }
        }
    }

    private static Workload workload(String name, int batch, int steps, int hidden, List<String> cells) {
        return new Workload(name, batch, steps, N_IN, hidden, 1, CLASSES, false, cells);
    }

    private static DataSet data(Workload w) {
        Nd4j.getRandom().setSeed(42);
        return new DataSet(Nd4j.rand(DataType.FLOAT, w.batch(), w.nIn(), w.steps()).subi(0.5),
                RecurrentBenchmark.oneHot(1, DataType.FLOAT, w.batch(), w.classes(), w.steps()));
    }

    /** Fits on short sequences until the JIT has compiled the layers' kernels, so the first length is not the JIT's. */
    private static void warmUp(List<String> cells, int batch, int steps, int hidden, int fits) {
        Workload w = workload("warmup", batch, steps, hidden, cells);
        DataSet data = data(w);
        for (String cell : cells) {
            MultiLayerNetwork net = RecurrentBenchmark.network(w, cell);
            for (int i = 0; i < fits; i++) {
                net.fit(data);
            }
        }
    }
}
