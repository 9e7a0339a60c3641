package io.rnnkit.bench;

import io.rnnkit.bundle.ModelStream;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.nn.StepNetworks;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the bundle API costs over calling DL4J directly, one thread, same process (docs/benchmarks.md,
 * "Bundle API latency"). Not a test: timings on shared machines swing run to run, so it is run on demand and
 * its figures are recorded with the command that made them.
 *
 * <p>Workloads, each a set of methods timed call by call and interleaved (every round calls each method once,
 * in an order that alternates between rounds, so drifts of the machine fall on all alike):
 * <ul>
 *   <li>one sequence: {@code RnnModel.classify(double[][])} against the restored DL4J network's
 *       {@code output(x)} on an input already built and normalized (the network alone), and against the same
 *       with the input built from {@code double[][]} and normalized by the DL4J normalizer on each call (what an
 *       application without rnnkit writes);</li>
 *   <li>one streaming step: {@code ModelStream.step(double...)} against {@code rnnTimeStep(x)} on a step network
 *       used by this thread alone (no state to save or restore), input already built.</li>
 * </ul>
 * Reported per method: p50, p90, p99, mean (µs) of wall time; p50 and p99 of the calling thread's CPU time
 * (which leaves out time the thread waited: descheduled by other processes, or stopped by a garbage
 * collection), so that a wide wall-time tail with a narrow CPU-time tail says the tail is waiting, not work;
 * the Java heap allocated per call; the garbage collections that fell inside its calls (count, and the
 * collector's milliseconds, which for ZGC are concurrent cycles rather than pauses).
 *
 * <pre>
 * java -cp target/rnnkit.jar:target/lib/* io.rnnkit.bench.BundleLatencyBench [--model FILE] [--rounds N] [--steps N]
 * </pre>
 * Without {@code --model} it trains {@code configs/quickstart.yaml} for 2 epochs into a temporary directory
 * (latency does not depend on accuracy).
 */
public final class BundleLatencyBench {
    private BundleLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "2000"));
        int stepRounds = Integer.parseInt(options.getOrDefault("--steps", "20000"));
        Path model = options.containsKey("--model") ? Path.of(options.get("--model")) : trainQuickstart();

        RnnModel rnn = RnnModel.load(model);
        Bundle saved = Bundle.read(model); // a second, independent copy of the network and normalizer
        MultiLayerNetwork raw = saved.network();
        DataNormalization normalizer = saved.normalizer();
        List<double[][]> sequences = sequences(rnn);
        int features = rnn.contract().features();
        List<INDArray> prepared = new ArrayList<>();
        for (double[][] s : sequences) {
            prepared.add(normalizedByDl4j(s, features, normalizer));
        }

        System.out.printf(Locale.ROOT, "model %s: %s, %d feature(s), %d steps, %d parameters%n", model, rnn.contract().topology().yamlName(),
                features, sequences.get(0).length, raw.numParams());
        System.out.printf(Locale.ROOT, "java %s, %d processors, OMP_NUM_THREADS=%s, load average %.2f at start%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        Map<String, IntConsumer> single = new LinkedHashMap<>();
        single.put("dl4j output(x), input ready", i -> raw.output(prepared.get(i % prepared.size())));
        single.put("dl4j build + normalize + output", i -> raw.output(normalizedByDl4j(sequences.get(i % sequences.size()), features, normalizer)));
        single.put("RnnModel.classify(double[][])", i -> rnn.classify(sequences.get(i % sequences.size())));
        report("one sequence", interleaved(single, rounds));

        MultiLayerNetwork stepRaw = StepNetworks.sharing(StepNetworks.twin(raw.getLayerWiseConfigurations()), raw.params());
        int length = sequences.get(0).length;
        List<INDArray[]> stepInputs = new ArrayList<>();
        for (INDArray x : prepared) {
            INDArray[] steps = new INDArray[length];
            for (int t = 0; t < length; t++) {
                steps[t] = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(t)).dup();
            }
            stepInputs.add(steps);
        }
        ModelStream stream = rnn.openStream();
        Map<String, IntConsumer> streaming = new LinkedHashMap<>();
        streaming.put("dl4j rnnTimeStep(x), one stream", i -> {
            int t = i % length;
            if (t == 0) {
                stepRaw.rnnClearPreviousState();
            }
            stepRaw.rnnTimeStep(stepInputs.get(i / length % stepInputs.size())[t]);
        });
        streaming.put("ModelStream.step(double...)", i -> {
            int t = i % length;
            if (t == 0) {
                stream.reset();
            }
            stream.step(sequences.get(i / length % sequences.size())[t]);
        });
        report("one streaming step", interleaved(streaming, stepRounds));
    }

    /** Latencies in nanoseconds per method, after a warm-up of a tenth of the rounds. */
    private static Map<String, Result> interleaved(Map<String, IntConsumer> methods, int rounds) {
        List<String> names = new ArrayList<>(methods.keySet());
        int warmup = rounds / 10;
        for (int i = 0; i < warmup; i++) {
            for (String name : names) {
                methods.get(name).accept(i);
            }
        }
        Map<String, long[]> samples = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        Map<String, long[]> counters = new LinkedHashMap<>();
        names.forEach(n -> {
            samples.put(n, new long[rounds]);
            cpu.put(n, new long[rounds]);
            counters.put(n, new long[3]);
        });
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(i % 2 == 0 ? k : names.size() - 1 - k);
                long[] before = gcTotals();
                long allocated = threads.getThreadAllocatedBytes(me);
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                methods.get(name).accept(i);
                samples.get(name)[i] = System.nanoTime() - start;
                cpu.get(name)[i] = threads.getCurrentThreadCpuTime() - cpuStart;
                long[] c = counters.get(name);
                c[2] += threads.getThreadAllocatedBytes(me) - allocated;
                long[] after = gcTotals();
                c[0] += after[0] - before[0];
                c[1] += after[1] - before[1];
            }
        }
        Map<String, Result> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, new Result(samples.get(n), cpu.get(n), counters.get(n)[0], counters.get(n)[1],
                counters.get(n)[2] / rounds)));
        return out;
    }

    /** Garbage collections and milliseconds spent in them so far, over all collectors. */
    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[]{count, millis};
    }

    private record Result(long[] nanos, long[] cpuNanos, long collections, long collectionMillis, long bytesPerCall) {
        double percentile(double p) {
            return percentile(nanos, p);
        }

        double cpuPercentile(double p) {
            return percentile(cpuNanos, p);
        }

        /** In microseconds; p from 0 to 100. */
        private static double percentile(long[] values, double p) {
            return Percentiles.of(values, p) / 1000.0;
        }

        double mean() {
            return Arrays.stream(nanos).average().orElse(Double.NaN) / 1000.0;
        }
    }

    private static void report(String workload, Map<String, Result> results) {
        System.out.printf(Locale.ROOT, "%n%s (%d calls each, µs)%n", workload, results.values().iterator().next().nanos().length);
        System.out.printf(Locale.ROOT, "| method | p50 | p90 | p99 | mean | p99/p50 | CPU p50 | CPU p99 | heap KB/call | GCs (ms) |%n"
                + "|---|---|---|---|---|---|---|---|---|---|%n");
        double baseline = Double.NaN;
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Result r = e.getValue();
            double p50 = r.percentile(50);
            if (Double.isNaN(baseline)) {
                baseline = p50;
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %.1f | %d (%d) |%n", e.getKey(), p50,
                    r.percentile(90), r.percentile(99), r.mean(), r.percentile(99) / p50, r.cpuPercentile(50), r.cpuPercentile(99),
                    r.bytesPerCall() / 1024.0, r.collections(), r.collectionMillis());
        }
        for (Map.Entry<String, Result> e : results.entrySet()) {
            System.out.printf(Locale.ROOT, "p50 of %s vs the first: %+.1f%%%n", e.getKey(), 100 * (e.getValue().percentile(50) / baseline - 1));
        }
    }

    /** Raw test sequences: the first 32 of the model's own test split when its data can be rebuilt, else seeded noise. */
    private static List<double[][]> sequences(RnnModel rnn) {
        List<double[][]> out = new ArrayList<>();
        try {
            SequenceSet test = io.rnnkit.data.DatasetLoader.load(ConfigLoader.of(rnn.config())).test();
            for (int i = 0; i < Math.min(32, test.size()); i++) {
                out.add(test.sequence(i));
            }
        } catch (RuntimeException dataNotHere) {
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < 32; i++) {
                double[][] s = new double[rnn.contract().maxLength()][rnn.contract().features()];
                for (double[] step : s) {
                    for (int f = 0; f < step.length; f++) {
                        step[f] = random.nextGaussian();
                    }
                }
                out.add(s);
            }
        }
        return out;
    }

    /** What an application without rnnkit does per call: build the DL4J input, normalize it with the DL4J normalizer. */
    private static INDArray normalizedByDl4j(double[][] sequence, int features, DataNormalization normalizer) {
        float[] x = new float[features * sequence.length];
        for (int t = 0; t < sequence.length; t++) {
            for (int f = 0; f < features; f++) {
                x[f * sequence.length + t] = (float) sequence[t][f];
            }
        }
        INDArray array = Nd4j.create(x, new long[]{1, features, sequence.length}, 'c');
        normalizer.transform(array);
        return array;
    }

    private static Path trainQuickstart() throws IOException {
        Path dir = Files.createTempDirectory("rnnkit-bench");
        System.out.println("training configs/quickstart.yaml (2 epochs) into " + dir);
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/quickstart.yaml"),
                List.of("training.epochs=2", "training.updater.schedule.warmup=0")), dir.resolve("run"), TrainingProgress.SILENT);
        return run.directory().resolve("model.zip");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--model", "--rounds", "--steps").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; expected --model FILE, --rounds N, --steps N");
            }
            out.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
        }
        return out;
    }
}
