package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bundle.RnnModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "generate", description = {"Sample text from a text-generation model (task.topology: one-to-many), one token at a time;",
        "or, with --vector, print the sequence a vector-to-sequence model makes from one vector (CSV: step, then its values)."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Option(names = "--seed", defaultValue = "", paramLabel = "TEXT", description = "Text to start from (default: the start of a line).")
    String seed;

    @Option(names = "--length", defaultValue = "200", paramLabel = "N", description = "Tokens to sample at most (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "Below 1 safer, above 1 wilder (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample among the K likeliest tokens only (0: all).")
    int topK;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "N", description = "How many samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--rng-seed", defaultValue = "1", paramLabel = "S", description = "Seed of the sampling RNG; the same seed gives the same text.")
    long rngSeed;

    @Option(names = "--vector", split = ",", paramLabel = "V", description = "For a vector-to-sequence model: the vector, its values"
            + " separated by commas in the order rnnkit inspect lists them (text options do not apply).")
    double[] vector;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        if (vector != null) {
            RnnModel rnn = RnnModel.load(model);
            double[][] sequence = rnn.generate(vector);
            StringBuilder csv = new StringBuilder("step," + String.join(",", rnn.contract().classes()) + "\n");
            for (int t = 0; t < sequence.length; t++) {
                csv.append(t + 1);
                for (double v : sequence[t]) {
                    csv.append(',').append(v);
                }
                csv.append('\n');
            }
            System.out.print(csv);
            return 0;
        }
        if (!(temperature > 0) || length < 1 || topK < 0 || samples < 1) {
            throw new BadInputException("--temperature must be > 0, --length and --samples at least 1, --top-k at least 0");
        }
        RnnModel rnn = RnnModel.load(model);
        for (int s = 0; s < samples; s++) {
            System.out.println(rnn.generate(seed, length, temperature, topK, rngSeed + s));
        }
        return 0;
    }
}
