package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bench.GrowthBenchmark;
import io.rnnkit.bench.RecurrentBenchmark;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", description = "Speed of rnnkit's layers beside DL4J's own, as one JSON line per workload and implementation "
        + "(docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WORKLOAD", arity = "0..*", description = "m2o-*-128 and/or m2m-*-256x2 (default: all).")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--rounds", description = "Measured rounds; figures are medians (default: 9; 3 for --seq-lengths and --widths).")
    Integer rounds;

    @Option(names = "--warmup", defaultValue = "25", description = "Fits (and single-sequence inferences) per implementation before measuring, so the JIT has compiled the SIMD kernels (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--infer", defaultValue = "20", description = "Single-sequence inferences per round (default: ${DEFAULT-VALUE}).")
    int infer;

    @Option(names = "--threads", description = "Threads of rnnkit's layers (default: all cores); DL4J's layers run as always, so they stay the baseline.")
    Integer threads;

    @Option(names = "--data-size", paramLabel = "N", description = "Instead of the layer workloads: train one epoch on rows files of N, 10 N"
            + " and 100 N sequences through the streaming path (and N read whole), each in a JVM of its own; epoch time and peak heap as JSON lines.")
    long dataSize;

    @Option(names = "--data-length", defaultValue = "60", paramLabel = "L", description = "Values per sequence for --data-size (default: ${DEFAULT-VALUE}).")
    int dataLength;

    @Option(names = "--data-heap", defaultValue = "256m", paramLabel = "SIZE", description = "The -Xmx of each --data-size run (default: ${DEFAULT-VALUE}).")
    String dataHeap;

    @Option(names = "--data-multiples", split = ",", defaultValue = "1,10,100", paramLabel = "M", description = "Multiples of N for --data-size (default: ${DEFAULT-VALUE}).")
    List<Integer> dataMultiples;

    @Option(names = "--data-shard", defaultValue = "0", paramLabel = "S", description = "data.streaming.shardSize of the --data-size runs (0: from maxHeapBytes).")
    int dataShard;

    @Option(names = "--seq-lengths", split = ",", paramLabel = "T", description = "Instead of the layer workloads: time per epoch and"
            + " activation memory (DL4J's workspaces) at these sequence lengths, with whole-sequence backprop and with --tbptt, one JSON line each.")
    List<Integer> seqLengths;

    @Option(names = "--tbptt", defaultValue = "100", paramLabel = "K", description = "Truncated-BPTT length --seq-lengths also runs with"
            + " (0: whole sequences only; default: ${DEFAULT-VALUE}).")
    int tbptt;

    @Option(names = "--widths", split = ",", paramLabel = "H", description = "Instead of the layer workloads: training GFLOP/s at these"
            + " layer widths beside CBLAS's rate at each width's step product, one JSON line each.")
    List<Integer> widths;

    @Option(names = "--cells", split = ",", defaultValue = "lstm,rnnkit-lstm,gru", paramLabel = "CELL", description = "Implementations"
            + " --seq-lengths and --widths train (default: ${DEFAULT-VALUE}; lstm and simplernn are DL4J's own).")
    List<String> cells;

    @Option(names = "--batch", paramLabel = "B", description = "Minibatch of --seq-lengths and --widths (default: 16 and 32).")
    Integer batch;

    @Option(names = "--hidden", defaultValue = "64", paramLabel = "H", description = "Layer width of --seq-lengths (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--sequences", defaultValue = "32", paramLabel = "N", description = "Sequences per epoch of --seq-lengths (default: ${DEFAULT-VALUE}).")
    int sequences;

    @Option(names = "--dl4j-max-steps", defaultValue = "1000", paramLabel = "T", description = "--seq-lengths runs DL4J's layers only up to"
            + " this length (default: ${DEFAULT-VALUE}).")
    int dl4jMaxSteps;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "T", description = "Sequence length of --widths (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--data-dir", defaultValue = "target/bench-data", paramLabel = "DIR", description = "Where --data-size writes its files, caches and runs (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path dataDir;

    @Override
    public Integer call() throws Exception {
        if ((dataSize > 0 ? 1 : 0) + (seqLengths != null ? 1 : 0) + (widths != null ? 1 : 0) > 1) {
            throw new BadInputException("--data-size, --seq-lengths and --widths are separate runs: give one of them");
        }
        if (dataSize > 0) {
            io.rnnkit.bench.DataSizeBenchmark.run(dataSize, dataLength, dataHeap, dataShard, dataMultiples, dataDir);
            return 0;
        }
        List<String> known = RecurrentBenchmark.WORKLOADS.stream().map(RecurrentBenchmark.Workload::name).toList();
        for (String w : workloads) {
            if (!known.contains(w)) {
                throw new BadInputException("unknown workload '" + w + "'; known: " + String.join(", ", known));
            }
        }
        boolean sweep = seqLengths != null || widths != null;
        int measured = rounds != null ? rounds : sweep ? 3 : 9;
        if (measured < 1 || warmup < 0 || infer < 1) {
            throw new BadInputException("--rounds and --infer must be at least 1, --warmup at least 0");
        }
        if (threads != null && threads < 1) {
            throw new BadInputException("--threads must be at least 1, got " + threads);
        }
        if (threads != null) {
            io.rnnkit.nn.layers.LayerThreads.set(threads);
        }
        if (sweep) {
            checkSweep();
        }
        if (seqLengths != null) {
            new GrowthBenchmark.LengthSweep(seqLengths, tbptt, cells, batch != null ? batch : 16, hidden, sequences, measured, warmup,
                    dl4jMaxSteps).run();
            return 0;
        }
        if (widths != null) {
            new GrowthBenchmark.WidthSweep(widths, cells, batch != null ? batch : 32, steps, measured, warmup).run();
            return 0;
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        for (RecurrentBenchmark.Workload w : RecurrentBenchmark.WORKLOADS) {
            if (workloads.isEmpty() || workloads.contains(w.name())) {
                RecurrentBenchmark.run(w, measured, warmup, infer);
            }
        }
        return 0;
    }

    private void checkSweep() {
        if (!workloads.isEmpty()) {
            throw new BadInputException("--seq-lengths and --widths take no workload names, got " + String.join(", ", workloads));
        }
        for (String cell : cells) {
            if (!RecurrentBenchmark.CELLS.contains(cell)) {
                throw new BadInputException("--cells: unknown cell '" + cell + "'; known: " + String.join(", ", RecurrentBenchmark.CELLS));
            }
        }
        atLeast("--seq-lengths", seqLengths, 1);
        atLeast("--widths", widths, 1);
        atLeast("--batch", batch == null ? null : List.of(batch), 1);
        atLeast("--hidden", List.of(hidden), 1);
        atLeast("--sequences", List.of(sequences), 1);
        atLeast("--steps", List.of(steps), 1);
        atLeast("--tbptt", List.of(tbptt), 0);
        atLeast("--dl4j-max-steps", List.of(dl4jMaxSteps), 0);
    }

    private static void atLeast(String option, List<Integer> values, int min) {
        for (int v : values == null ? List.<Integer>of() : values) {
            if (v < min) {
                throw new BadInputException(option + " must be at least " + min + ", got " + v);
            }
        }
    }
}
