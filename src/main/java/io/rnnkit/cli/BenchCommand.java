package io.rnnkit.cli;

import io.rnnkit.BadInputException;
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

    @Option(names = "--rounds", defaultValue = "9", description = "Measured rounds; figures are medians (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "25", description = "Fits (and single-sequence inferences) per implementation before measuring, so the JIT has compiled the SIMD kernels (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--infer", defaultValue = "20", description = "Single-sequence inferences per round (default: ${DEFAULT-VALUE}).")
    int infer;

    @Option(names = "--threads", description = "Threads of rnnkit's layers (default: all cores); DL4J's layers run as always, so they stay the baseline.")
    Integer threads;

    @Override
    public Integer call() {
        List<String> known = RecurrentBenchmark.WORKLOADS.stream().map(RecurrentBenchmark.Workload::name).toList();
        for (String w : workloads) {
            if (!known.contains(w)) {
                throw new BadInputException("unknown workload '" + w + "'; known: " + String.join(", ", known));
            }
        }
        if (rounds < 1 || warmup < 0 || infer < 1) {
            throw new BadInputException("--rounds and --infer must be at least 1, --warmup at least 0");
        }
        if (threads != null && threads < 1) {
            throw new BadInputException("--threads must be at least 1, got " + threads);
        }
        if (threads != null) {
            io.rnnkit.nn.layers.LayerThreads.set(threads);
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        for (RecurrentBenchmark.Workload w : RecurrentBenchmark.WORKLOADS) {
            if (workloads.isEmpty() || workloads.contains(w.name())) {
                RecurrentBenchmark.run(w, rounds, warmup, infer);
            }
        }
        return 0;
    }
}
