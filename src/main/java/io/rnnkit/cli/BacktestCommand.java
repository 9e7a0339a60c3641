package io.rnnkit.cli;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.train.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rnnkit backtest CONFIG}: a training run with its backtest ({@code evaluation.backtest}, every origin of the test
 * part by default), so the run directory holds the model, its metrics and the backtest together.
 */
@Command(name = "backtest", description = "Train a forecaster and backtest it from rolling origins over the test part of its series"
        + " (evaluation.backtest in the config, else every origin, one step apart, over the model's horizon).")
final class BacktestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The experiment YAML file of a forecaster (data.format: series).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (must not exist or be empty); default output.dir or runs/<name>-<time>.")
    Path out;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        LoadedConfig loaded = ConfigLoader.load(config, overrides.values);
        if (loaded.config().evaluation().backtest() == null) {
            // the defaults, written into the run's config.yaml, so rnnkit train on it repeats the backtest
            List<String> withBacktest = new ArrayList<>(overrides.values);
            withBacktest.add(0, "evaluation.backtest={}");
            loaded = ConfigLoader.load(config, withBacktest);
        }
        Path dir = TrainCommand.runDirectory(out, loaded);
        System.out.println("backtesting " + loaded.config().name() + " → " + dir);
        ExperimentRunner.RunResult result = ExperimentRunner.run(loaded, dir, new ConsoleProgress(System.out));
        System.out.println("run directory: " + result.directory() + " (backtest.csv, backtest-horizons.csv, metrics.json's backtest,"
                + " plots/backtest-horizons.png and plots/backtest-origins.png, model.zip; rnnkit report " + result.directory() + ")");
        return 0;
    }
}
