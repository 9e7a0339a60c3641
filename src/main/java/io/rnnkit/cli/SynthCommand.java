package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.data.RowsGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "synth", description = {"Write a labelled dataset of any size in the rows layout (N rows of L values, class label last),",
        "or with --series one long series (a header step,value, then N steps: a seasonal sine over a slow trend, with noise),",
        "for trying the streaming path (data.streaming) and its benchmark (docs/benchmarks.md)."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSV file to write (replaced).")
    Path out;

    @Option(names = "--sequences", required = true, paramLabel = "N", description = "Rows (sequences) to write.")
    long sequences;

    @Option(names = "--length", defaultValue = "60", paramLabel = "L", description = "Values per row (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--series", paramLabel = "PERIOD", description = "Write one series of N steps (format: series) whose season is PERIOD steps.")
    Integer period;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The same seed writes the same file (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (sequences < 1 || length < 1) {
            throw new BadInputException("--sequences and --length must be at least 1");
        }
        long start = System.nanoTime();
        if (period != null) {
            if (period < 2) {
                throw new BadInputException("--series: the season must be at least 2 steps, got " + period);
            }
            long bytes = io.rnnkit.data.SeriesGenerator.write(out, sequences, period, seed);
            System.out.printf(Locale.ROOT, "wrote %s: a series of %d steps, %.1f MB in %.1f s%n", out, sequences, bytes / 1e6,
                    (System.nanoTime() - start) / 1e9);
            return 0;
        }
        long bytes = RowsGenerator.write(out, sequences, length, seed);
        System.out.printf(Locale.ROOT, "wrote %s: %d sequences x %d values, %.1f MB in %.1f s%n", out, sequences, length, bytes / 1e6,
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
