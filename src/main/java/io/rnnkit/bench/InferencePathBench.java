package io.rnnkit.bench;

import io.rnnkit.nn.FusedInference;
import io.rnnkit.nn.layers.LayerThreads;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Single-sequence inference of one rnnkit network (m2o, LastTimeStep + 6-class softmax, 1 input) through
 * {@link FusedInference} against the same network's {@link MultiLayerNetwork#output} (docs/benchmarks.md,
 * "Single-sequence latency"). Not a test: timings on a shared machine swing, so it runs on demand. Four parts:
 * <ol>
 *   <li>A/B: the two paths called alternately in one thread (the order flipping each call), wall and thread CPU
 *       time p50/p90/p99, Java heap allocated per call;</li>
 *   <li>the tail of rnnkit's path alone: of the calls slower than twice the median, how many had a garbage
 *       collection inside them, how many used more than twice the median CPU time, and how many were waiting
 *       (descheduled: wall time the CPU time does not account for);</li>
 *   <li>the first call after other work (DL4J's LSTM, or a walk through 64 MB that evicts the caches), as the
 *       benchmark's blocks of calls make it, against the calls after it;</li>
 *   <li>batching: thread CPU time per call and per sequence for batches of 1–16 sequences, what a server that
 *       gathered concurrent requests into one call would spend.</li>
 * </ol>
 *
 * <pre>
 * OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp 'target/classes:target/lib/*' io.rnnkit.bench.InferencePathBench
 *     [--cell rnnkit-lstm|gru|rnnkit-simplernn] [--hidden 128] [--steps 60] [--calls 5000]
 * </pre>
 */
public final class InferencePathBench {
    private InferencePathBench() {
    }

    public static void main(String[] args) {
        String cell = "rnnkit-lstm";
        int hidden = 128;
        int steps = 60;
        int calls = 5000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cell" -> cell = args[++i];
                case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(42);
        MultiLayerNetwork net = RecurrentBenchmark.network(
                new RecurrentBenchmark.Workload("m2o", 1, steps, 1, hidden, 1, 6, true, List.of(cell)), cell);
        FusedInference fused = FusedInference.of(net);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, steps);
        System.out.printf(Locale.ROOT, "%s, %d units, %d steps, direct path: %s; load average %.2f%n", cell, hidden, steps,
                fused.direct(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Supplier<INDArray>> paths = List.of(() -> net.output(x), () -> fused.output(x, null));
        String[] names = {"MultiLayerNetwork.output", "FusedInference.output"};
        for (int i = 0; i < 3000; i++) {
            paths.forEach(Supplier::get);
        }
        Timed[] ab = {new Timed(calls), new Timed(calls)};
        for (int i = 0; i < calls; i++) {
            for (int k = 0; k < 2; k++) {
                int path = i % 2 == 0 ? k : 1 - k;
                ab[path].time(i, paths.get(path));
            }
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(Locale.ROOT, "%-25s %s%n", names[k], ab[k].summary());
        }
        Timed alone = new Timed(4 * calls);
        for (int i = 0; i < 4 * calls; i++) {
            alone.time(i, paths.get(1));
        }
        System.out.printf(Locale.ROOT, "%-25s %s%n", "FusedInference alone", alone.summary());
        System.out.println("  " + alone.tail());
        coldCalls(fused, x, steps, hidden);
        LayerThreads.set(1); // a batch on one thread, as a server's model thread would run it
        for (int size : new int[] {1, 2, 4, 8, 16}) {
            INDArray batch = Nd4j.rand(DataType.FLOAT, size, 1, steps);
            Timed t = new Timed(Math.max(200, calls / size));
            for (int i = 0; i < 200; i++) {
                fused.output(batch, null);
            }
            for (int i = 0; i < t.wall.length; i++) {
                t.time(i, () -> fused.output(batch, null));
            }
            double cpu = Percentiles.of(t.cpu, 50);
            System.out.printf(Locale.ROOT, "batch %2d: thread CPU p50 %.1f µs a call, %.1f µs a sequence%n", size, cpu, cpu / size);
        }
    }

    /**
     * The first call after other work, as {@link RecurrentBenchmark} makes it: blocks of 40 calls, each block after
     * 40 calls of DL4J's LSTM of the same size ({@code output}), or after walking 64 MB of Java memory (caches and
     * TLB evicted, nothing else), or after nothing; thread CPU of each block's first call against the other calls.
     */
    private static void coldCalls(FusedInference fused, INDArray x, int steps, int hidden) {
        MultiLayerNetwork dl4j = RecurrentBenchmark.network(
                new RecurrentBenchmark.Workload("m2o", 1, steps, 1, hidden, 1, 6, true, List.of("lstm")), "lstm");
        float[] walk = new float[16 << 20];
        for (String before : new String[] {"DL4J's LSTM", "a 64 MB walk", "nothing"}) {
            Timed first = new Timed(30);
            Timed others = new Timed(30 * 39);
            for (int block = 0; block < 30; block++) {
                if (before.startsWith("DL4J")) {
                    for (int i = 0; i < 40; i++) {
                        dl4j.output(x);
                    }
                } else if (before.startsWith("a 64")) {
                    for (int j = 0; j < walk.length; j += 16) {
                        walk[j] += 1f;
                    }
                }
                first.time(block, () -> fused.output(x, null));
                for (int i = 0; i < 39; i++) {
                    others.time(block * 39 + i, () -> fused.output(x, null));
                }
            }
            System.out.printf(Locale.ROOT, "after %-13s first call of a block: thread CPU p50 %.1f µs; the other calls: p50 %.1f,"
                    + " p99 %.1f µs%n", before, Percentiles.of(first.cpu, 50), Percentiles.of(others.cpu, 50),
                    Percentiles.of(others.cpu, 99));
        }
    }

    /** Wall and thread CPU time (µs), Java heap allocated and whether a collection ran, call by call. */
    private static final class Timed {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final double[] wall;
        final double[] cpu;
        final boolean[] collected;
        long allocated;

        Timed(int n) {
            wall = new double[n];
            cpu = new double[n];
            collected = new boolean[n];
        }

        void time(int i, Supplier<INDArray> call) {
            long id = Thread.currentThread().getId();
            long gcs = collections();
            long bytes = THREADS.getThreadAllocatedBytes(id);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            call.get();
            wall[i] = (System.nanoTime() - t0) / 1e3;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3;
            allocated += THREADS.getThreadAllocatedBytes(id) - bytes;
            collected[i] = collections() != gcs;
        }

        String summary() {
            return String.format(Locale.ROOT, "wall p50 %.1f p90 %.1f p99 %.1f µs | thread CPU p50 %.1f p90 %.1f p99 %.1f µs | heap %d B/call",
                    Percentiles.of(wall, 50), Percentiles.of(wall, 90), Percentiles.of(wall, 99), Percentiles.of(cpu, 50),
                    Percentiles.of(cpu, 90), Percentiles.of(cpu, 99), allocated / wall.length);
        }

        String tail() {
            double wallMedian = Percentiles.of(wall, 50);
            double cpuMedian = Percentiles.of(cpu, 50);
            int slow = 0;
            int withGc = 0;
            int working = 0;
            int gcs = 0;
            for (int i = 0; i < wall.length; i++) {
                gcs += collected[i] ? 1 : 0;
                if (wall[i] > 2 * wallMedian) {
                    slow++;
                    if (collected[i]) {
                        withGc++;
                    } else if (cpu[i] > 2 * cpuMedian) {
                        working++;
                    }
                }
            }
            return String.format(Locale.ROOT, "calls over 2× the median: %d of %d (%.2f %%): %d with a collection, %d using over 2× the"
                    + " median CPU, %d waiting (descheduled); collections during calls: %d", slow, wall.length,
                    100.0 * slow / wall.length, withGc, working, slow - withGc - working, gcs);
        }

        private static long collections() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                n += gc.getCollectionCount();
            }
            return n;
        }
    }
}
