package io.rnnkit.bench;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.data.RowsGenerator;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How training cost grows with the data (docs/benchmarks.md, "Data size"): rows files of base × 1, 10, 100 sequences
 * ({@link RowsGenerator}) each trained for one epoch in a JVM of its own with a fixed heap, through the streaming path,
 * and at the base size also read whole; one JSON line per run: sequences, file size, epoch time, sequences per second,
 * peak heap (the JVM's heap pools' peaks), peak live heap (the most in use right after a full collection, sampled every second), cache build time. Time should grow linearly and the heap stay flat.
 */
public final class DataSizeBenchmark {
    private DataSizeBenchmark() {
    }

    /**
     * @param base   sequences at 1×
     * @param length values per sequence
     * @param heap   the child JVMs' -Xmx, such as {@code 128m}
     * @param shard  {@code data.streaming.shardSize} (0: from maxHeapBytes)
     * @param sizes  multiples of base to run
     * @param work   folder for the files, caches and runs (kept: the files are reused when there)
     */
    public static void run(long base, int length, String heap, int shard, List<Integer> sizes, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        for (int multiple : sizes) {
            long n = base * multiple;
            Path data = work.resolve("rows-" + n + "x" + length + ".csv");
            if (!Files.isRegularFile(data)) {
                RowsGenerator.write(data, n, length, 1);
            }
            for (String mode : multiple == sizes.get(0) ? List.of("always", "never") : List.of("always")) {
                Path config = work.resolve("datasize-" + n + "-" + mode + ".yaml");
                Files.writeString(config, """
                        name: datasize
                        seed: 1
                        task: {topology: many-to-one, kind: classification}
                        data: {format: rows, path: %s, labels: {from: last-column}, streaming: {enabled: %s, shardSize: %d, cacheDir: %s}}
                        model: {layers: [{type: lstm, units: 16}]}
                        training: {epochs: 1, batchSize: 128, updater: {type: adam, learningRate: 0.01}}
                        """.formatted(data, mode, shard, work.resolve("cache")));
                System.out.println(child(config, work.resolve("run-" + n + "-" + mode), heap, shard, multiple, Files.size(data), mode));
                System.out.flush();
            }
        }
    }

    private static String child(Path config, Path out, String heap, int shard, int multiple, long fileBytes, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), DataSizeBenchmark.class.getName(),
                config.toString(), out.toString()));
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.waitFor(24, TimeUnit.HOURS);
        List<String> lines = Files.readAllLines(log);
        String result = lines.stream().filter(l -> l.startsWith("{\"sequences\"")).findFirst().orElse(null);
        String prefix = String.format(Locale.ROOT, "{\"multiple\": %d, \"mode\": \"%s\", \"heap\": \"%s\", \"shard\": %d, \"file_mb\": %.1f, ",
                multiple, mode.equals("always") ? "streamed" : "in-memory", heap, shard, fileBytes / 1e6);
        if (result == null) {
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).replace("\"", "'");
            return prefix + "\"exit\": " + p.exitValue() + ", \"error\": \"" + last + "\"}";
        }
        return prefix + result.substring(1);
    }

    /** In the child JVM: trains one config and prints its figures as JSON. */
    public static void main(String[] args) {
        LoadedConfig loaded = ConfigLoader.load(Path.of(args[0]), List.of());
        long start = System.nanoTime();
        // the live heap: what is in use right after a full collection, asked for every second (the raw peak is mostly
        // garbage the collector had not yet needed to clear); costs a few percent of the epoch time
        long[] live = {0};
        Thread sampler = new Thread(() -> {
            java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            while (!Thread.currentThread().isInterrupted()) {
                memory.gc();
                live[0] = Math.max(live[0], memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        double[] cache = {0};
        ExperimentRunner.RunResult result = ExperimentRunner.run(loaded, Path.of(args[1]), new TrainingProgress() {
            @Override
            public void note(String message) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("built in ([0-9.]+) s").matcher(message);
                if (m.find()) {
                    cache[0] = Double.parseDouble(m.group(1));
                }
            }
        });
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        int sequences = result.data().train().size();
        double epoch = result.training().history().get(0).seconds();
        System.out.printf(Locale.ROOT, "{\"sequences\": %d, \"epoch_s\": %.2f, \"train_seq_per_s\": %.0f, \"peak_heap_mb\": %.1f, "
                        + "\"peak_live_heap_mb\": %.1f, \"cache_build_s\": %.1f, \"total_s\": %.1f, \"test_accuracy\": %.4f}%n", sequences, epoch,
                sequences / epoch, peak / 1e6, live[0] / 1e6, cache[0], (System.nanoTime() - start) / 1e9, result.metrics().get("test").get("accuracy"));
        System.exit(0);
    }
}
