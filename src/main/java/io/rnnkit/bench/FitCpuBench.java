package io.rnnkit.bench;

import io.rnnkit.nn.FusedInference;
import io.rnnkit.nn.layers.LayerThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The CPU time of rnnkit's own training, for A/B comparisons of the layers on a loaded machine: the thread CPU of
 * the threads that train ({@code main} and the {@code rnnkit-layer} pool; not GC, JIT or ND4J's deallocator) per
 * {@code fit} of one {@link RecurrentBenchmark} workload and cell, on the benchmark's network and batch. Wall time
 * on a shared machine measures the other jobs; this measures the work.
 *
 * <p>{@code --digest} instead prints, for every rnnkit cell of the five benchmark workloads, a SHA-256 of the float
 * bits of the parameters after three fits of a fresh network and of one single-sequence answer through
 * {@link FusedInference}: a change that must not move a bit shows the same lines before and after.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp 'target/classes:target/lib/*' \
 *     io.rnnkit.bench.FitCpuBench [--workload m2o-*-128] [--cell rnnkit-lstm] [--warmup 25] [--rounds 8]
 *     [--fits 5] [--threads 2] [--digest]
 * </pre>
 * Prints one line per round (CPU ms per fit, the median of the round's fits; the main thread's share, which runs
 * everything that is not split across threads and so is close to the wall time of a fit on an idle machine) and
 * the median and quartiles of those.
 */
public final class FitCpuBench {

    private FitCpuBench() {
    }

    public static void main(String[] args) {
        String workload = "m2o-*-128";
        String cell = "rnnkit-lstm";
        int warmup = 25;
        int rounds = 8;
        int fits = 5;
        boolean digest = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload" -> workload = args[++i];
                case "--cell" -> cell = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--fits" -> fits = Integer.parseInt(args[++i]);
                case "--threads" -> LayerThreads.set(Integer.parseInt(args[++i]));
                case "--digest" -> digest = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        if (digest) {
            for (RecurrentBenchmark.Workload w : RecurrentBenchmark.WORKLOADS) {
                for (String c : w.cells()) {
                    if (!RecurrentBenchmark.isDl4j(c)) {
                        System.out.println(w.name().replace("*", c) + " " + digest(w, c));
                    }
                }
            }
            return;
        }
        String name = workload;
        RecurrentBenchmark.Workload w = RecurrentBenchmark.WORKLOADS.stream().filter(x -> x.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown workload " + name));
        DataSet batch = batch(w);
        MultiLayerNetwork net = RecurrentBenchmark.network(w, cell);
        for (int i = 0; i < warmup; i++) {
            net.fit(batch);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Double> perRound = new ArrayList<>();
        List<Double> perRoundMain = new ArrayList<>();
        List<Double> perRoundWall = new ArrayList<>(); // wall time: meaningful only on an idle machine // the main thread's part: wall time on an idle machine, nearly
        for (int r = 0; r < rounds; r++) {
            List<Double> cpu = new ArrayList<>();
            List<Double> mainCpu = new ArrayList<>();
            List<Double> wall = new ArrayList<>();
            long a0 = trainingAllocation(mx);
            for (int f = 0; f < fits; f++) {
                long c0 = trainingCpu(mx);
                long m0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                net.fit(batch);
                wall.add((System.nanoTime() - t0) / 1e6);
                mainCpu.add((mx.getCurrentThreadCpuTime() - m0) / 1e6);
                cpu.add((trainingCpu(mx) - c0) / 1e6);
            }
            double median = RecurrentBenchmark.percentile(cpu, 50);
            perRound.add(median);
            perRoundMain.add(RecurrentBenchmark.percentile(mainCpu, 50));
            perRoundWall.add(RecurrentBenchmark.percentile(wall, 50));
            System.out.println(String.format(Locale.ROOT, "round %d: %.2f ms CPU per fit (main thread %.2f), %.0f KB"
                    + " allocated per fit", r, median, perRoundMain.get(r), (trainingAllocation(mx) - a0) / 1024.0 / fits));
        }
        System.out.println(String.format(Locale.ROOT, "%s %s: median %.2f ms (p25 %.2f, p75 %.2f) CPU per fit; main"
                + " thread %.2f ms (p25 %.2f, p75 %.2f); wall %.2f ms", w.name().replace("*", cell), cell,
                RecurrentBenchmark.percentile(perRound, 50), RecurrentBenchmark.percentile(perRound, 25),
                RecurrentBenchmark.percentile(perRound, 75), RecurrentBenchmark.percentile(perRoundMain, 50),
                RecurrentBenchmark.percentile(perRoundMain, 25), RecurrentBenchmark.percentile(perRoundMain, 75),
                RecurrentBenchmark.percentile(perRoundWall, 50)));
    }

    /** The benchmark's batch of a workload (the same seed and values as {@link RecurrentBenchmark#run}). */
    static DataSet batch(RecurrentBenchmark.Workload w) {
        Nd4j.getRandom().setSeed(42);
        INDArray features = Nd4j.rand(DataType.FLOAT, w.batch(), w.nIn(), w.steps()).subi(0.5);
        INDArray labels = RecurrentBenchmark.oneHot(1, DataType.FLOAT, w.batch(), w.classes(),
                w.manyToOne() ? 0 : w.steps());
        return new DataSet(features, labels);
    }

    /** Nanoseconds of CPU used so far by {@code main} and the layers' pool threads. */
    static long trainingCpu(ThreadMXBean mx) {
        return sumOverTrainingThreads(mx, mx::getThreadCpuTime);
    }

    /** Bytes of Java heap allocated so far by {@code main} and the layers' pool threads. */
    static long trainingAllocation(ThreadMXBean mx) {
        return sumOverTrainingThreads(mx, ((com.sun.management.ThreadMXBean) mx)::getThreadAllocatedBytes);
    }

    private static long sumOverTrainingThreads(ThreadMXBean mx, java.util.function.LongUnaryOperator perThread) {
        long sum = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && (t.getThreadName().equals("main") || t.getThreadName().equals("rnnkit-layer"))) {
                long c = perThread.applyAsLong(t.getThreadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    /** Digests of the parameters after three fits of a fresh network, and of one single-sequence answer. */
    static String digest(RecurrentBenchmark.Workload w, String cell) {
        DataSet batch = batch(w);
        MultiLayerNetwork net = RecurrentBenchmark.network(w, cell);
        for (int i = 0; i < 3; i++) {
            net.fit(batch);
        }
        INDArray single = batch.getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all())
                .dup();
        return sha(net.params()) + " " + sha(FusedInference.of(net).output(single, null));
    }

    private static String sha(INDArray a) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (float v : a.dup().data().asFloat()) {
                int bits = Float.floatToRawIntBits(v);
                sha.update(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
