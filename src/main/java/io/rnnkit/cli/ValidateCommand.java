package io.rnnkit.cli;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.LabelWarnings;
import io.rnnkit.data.SplitData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", description = "Check a config and its data without training; prints every problem (exit 2 if any).")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The experiment YAML file.")
    Path config;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        LoadedConfig loaded = ConfigLoader.load(config, overrides.values);
        SplitData data = DatasetLoader.loadForTraining(loaded, System.out::println);
        for (String warning : LabelWarnings.of(loaded.config(), data)) {
            System.err.println("warning: " + warning);
        }
        System.out.println(config + ": valid. Data: " + data.train().size() + " train, " + data.validation().size() + " validation, "
                + data.test().size() + " test sequences, " + data.features() + " feature(s), " + data.outputs() + " output(s).");
        if (data.report() != null) {
            // what reading did (sorted, merged, filled, dropped, read as <other>), as the run log says it
            System.out.println("data: " + data.report().summary());
        }
        return 0;
    }
}
