package io.rnnkit.cli;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.diagnose.Diagnosis;
import io.rnnkit.diagnose.GradientFlow;
import io.rnnkit.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diagnose", description = {"Gradient flow through time: a short training, then for each recurrent layer the norm of the loss gradient",
        "reaching every time step, at initialization and after training; whether it vanishes or explodes, and what clipping does."})
final class DiagnoseCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The experiment YAML file.")
    Path config;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Epochs of the short training (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Where gradient-flow.png and .csv go; default runs/<name>-diagnose-<time>.")
    Path out;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        List<String> all = new ArrayList<>(overrides.values);
        all.add("training.epochs=" + epochs);
        LoadedConfig loaded = ConfigLoader.load(config, all);
        Path dir = out != null ? out : RunDirectory.defaultFor(loaded.config().name() + "-diagnose");
        System.out.println("diagnosing " + loaded.config().name() + " → " + dir);
        Diagnosis.Result result = Diagnosis.run(loaded, dir, new ConsoleProgress(System.out));
        System.out.println("at initialization:");
        result.initial().forEach(p -> System.out.println("  " + p.describe()));
        System.out.println("after " + result.epochs() + " epoch(s):");
        result.trained().forEach(p -> System.out.println("  " + p.describe()));
        System.out.println("clipping rescales a layer's whole parameter gradient, so it bounds exploding updates but leaves the"
                + " decay over steps as it is; vanishing needs a gated cell (lstm) or a shorter span (tbpttLength, shorter windows).");
        System.out.println("figure: " + result.directory().resolve("gradient-flow.png") + " (data: gradient-flow.csv)");
        return 0;
    }
}
