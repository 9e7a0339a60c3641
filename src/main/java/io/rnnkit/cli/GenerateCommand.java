package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.TextMode;
import io.rnnkit.config.Topology;
import io.rnnkit.data.TextLayout;
import io.rnnkit.nn.TokenSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", description = "Sample text from a generation model (task.topology: one-to-many), one token at a time.")
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

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        if (!(temperature > 0) || length < 1 || topK < 0 || samples < 1) {
            throw new BadInputException("--temperature must be > 0, --length and --samples at least 1, --top-k at least 0");
        }
        Bundle bundle = Bundle.read(model);
        if (bundle.config().task().topology() != Topology.ONE_TO_MANY) {
            throw new BadInputException(model + ": a " + bundle.contract().topology() + " model does not generate; generate needs task.topology: one-to-many");
        }
        List<String> vocabulary = bundle.contract().classes();
        Map<String, Integer> index = TextLayout.index(vocabulary);
        boolean lines = bundle.config().data().text().mode() == TextMode.LINES;
        List<String> start = new ArrayList<>();
        if (lines) {
            start.add(TextLayout.BOUNDARY);
        }
        start.addAll(TextLayout.tokenize(seed, bundle.config().data().text().unit()));
        if (start.isEmpty()) {
            throw new BadInputException("--seed: a model trained on a text stream needs some seed text to start from");
        }
        String joiner = bundle.config().data().text().unit() == io.rnnkit.config.TextUnit.WORD ? " " : "";
        TokenSampler sampler = new TokenSampler(bundle.network(), vocabulary, index, index.get(TextLayout.UNKNOWN));
        for (int s = 0; s < samples; s++) {
            List<String> tokens = sampler.sample(start, length, lines ? TextLayout.BOUNDARY : null, temperature, topK, rngSeed + s);
            System.out.println(seed + (seed.isEmpty() || joiner.isEmpty() ? "" : joiner) + String.join(joiner, tokens));
        }
        return 0;
    }
}
