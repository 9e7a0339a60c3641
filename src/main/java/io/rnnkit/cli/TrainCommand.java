package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bundle.BundleSignature;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.RunDirectory;
import io.rnnkit.train.TrainingUi;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", description = "Train the network a config describes and write its run directory.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "The experiment YAML file (with --resume, optional: the run's own config.yaml is used).")
    Path config;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR from its last checkpoint (after Ctrl-C, SIGTERM or kill -9).")
    Path resume;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (must not exist or be empty); default output.dir or runs/<name>-<time>.")
    Path out;

    @Option(names = "--sign", paramLabel = "KEY", description = "Sign the bundle with this Ed25519 private key (PEM), as rnnkit sign does.")
    Path sign;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    UiOptions ui;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        PrivateKey signingKey = sign == null ? null : BundleSignature.readPrivateKey(sign); // a bad key fails before training
        ConsoleProgress progress = new ConsoleProgress(System.out);
        ExperimentRunner.RunResult result;
        TrainingUi trainingUi = ui.ui ? TrainingUi.start(ui.host, ui.port()) : null;
        try {
            TrainingListener[] listeners = trainingUi == null ? new TrainingListener[0] : new TrainingListener[]{trainingUi.listener()};
            if (trainingUi != null) {
                System.out.println("training UI: " + trainingUi.address());
            }
            if (resume != null) {
                if (config != null || out != null || !overrides.values.isEmpty()) {
                    throw new BadInputException("--resume continues a run with the config it was started with (" + resume.resolve("config.yaml")
                            + "); give no CONFIG, --out or --set with it");
                }
                System.out.println("resuming " + resume);
                result = ExperimentRunner.resume(resume, progress, listeners);
            } else {
                if (config == null) {
                    throw new BadInputException("give the CONFIG to train, or --resume DIR");
                }
                LoadedConfig loaded = ConfigLoader.load(config, overrides.values);
                Path dir = runDirectory(out, loaded);
                System.out.println("training " + loaded.config().name() + " → " + dir);
                result = ExperimentRunner.run(loaded, dir, progress, listeners);
            }
        } finally {
            if (trainingUi != null) {
                trainingUi.close();
            }
        }
        if (signingKey != null) {
            System.out.println("model.zip signed by Ed25519 key " + SignCommand.sign(result.directory().resolve("model.zip"), signingKey));
        }
        System.out.println();
        if (result.members().isEmpty()) {
            System.out.println("best epoch " + result.training().bestEpoch() + " of " + result.training().history().size()
                    + String.format(" (%.1f s)", result.training().seconds()));
            if (result.crossValidation() != null) {
                System.out.println(result.crossValidation().summary());
            }
        } else {
            System.out.println("ensemble of " + result.members().size() + String.format(" networks (%.1f s); each member's test figures:",
                    result.training().seconds()));
            for (ExperimentRunner.Member m : result.members()) {
                StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "  member %d (seed %d, best epoch %d)",
                        m.index(), m.seed(), m.run().training().bestEpoch()));
                m.run().metrics().get("test").values().forEach((k, v) -> line.append(String.format(java.util.Locale.ROOT, " %s=%.4f", k, v)));
                System.out.println(line);
            }
            System.out.println("the ensemble (members combined):");
        }
        printMetrics(result.metrics(), result.data().classes());
        boolean panel = result.metrics().values().stream().anyMatch(m -> !m.series().isEmpty());
        System.out.println("run directory: " + result.directory() + " (model.zip, metrics.json, "
                + (result.members().isEmpty() ? "history.csv, " : "") + "config.yaml, plots/"
                + (panel ? ", " + ExperimentRunner.SERIES_METRICS : "")
                + (result.members().isEmpty() ? "" : ", members/N/ with each member's run") + "; rnnkit report " + result.directory()
                + " for one HTML page)");
        return 0;
    }

    /** A run's directory: {@code --out}, else the config's {@code output.dir}, else runs/NAME-TIME. */
    static Path runDirectory(Path out, LoadedConfig loaded) {
        return out != null ? out : loaded.config().output().dir() != null ? Path.of(loaded.config().output().dir())
                : RunDirectory.defaultFor(loaded.config().name());
    }

    /** A per-class figure, or n/a where it is undefined (the precision of a class never predicted). */
    private static String figure(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", value);
    }

    /** Per-class figures are printed for at most this many classes (a vocabulary's are in metrics.json). */
    private static final int CLASSES_PRINTED = 10;

    /** @param classes the class names (per-class precision and recall are printed for a few), or the target names */
    static void printMetrics(Map<String, SplitMetrics> metrics, List<String> classes) {
        for (Map.Entry<String, SplitMetrics> split : metrics.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("  %-10s", split.getKey()));
            appendFigures(line, split.getValue().values());
            split.getValue().undefined().forEach((k, why) -> line.append(String.format(" %s=undefined (%s)", k, why)));
            System.out.println(line);
            List<SplitMetrics.ClassFigures> perClass = split.getValue().perClass();
            for (int c = 0; perClass.size() <= CLASSES_PRINTED && c < perClass.size(); c++) {
                SplitMetrics.ClassFigures f = perClass.get(c);
                System.out.println(String.format(java.util.Locale.ROOT, "    %-12s precision=%s recall=%s f1=%s (%d)", classes.get(c),
                        figure(f.precision()), figure(f.recall()), figure(f.f1()), f.support()));
            }
            split.getValue().sources().forEach((file, figures) -> {
                StringBuilder source = new StringBuilder("    " + file + ":");
                appendFigures(source, figures.values());
                System.out.println(source);
            });
            for (SplitMetrics.Horizon h : split.getValue().horizons()) {
                StringBuilder step = new StringBuilder(String.format("  %-10s", "  t+" + h.step()));
                appendFigures(step, h.values());
                h.undefined().keySet().forEach(k -> step.append(" ").append(k).append("=undefined"));
                System.out.println(step);
            }
            printSeries(split.getValue());
        }
    }

    /** Appends each figure as {@code name=value}, four decimals: a split's line, a pooled file's and a horizon's alike. */
    private static void appendFigures(StringBuilder line, Map<String, Double> values) {
        values.forEach((k, v) -> line.append(String.format(" %s=%.4f", k, v)));
    }

    /** For windows of many series: how many series, and on how many the model's MASE is below each baseline's. */
    private static void printSeries(SplitMetrics metrics) {
        if (metrics.series().isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format("  %-10s %d series, mase their mean;", "", metrics.series().size()));
        for (String baseline : java.util.List.of("naive_", "seasonal_naive_")) {
            long below = metrics.seriesBelow(baseline);
            if (below >= 0) {
                line.append(String.format(" below %smase on %d;", baseline, below));
            }
        }
        System.out.println(line.substring(0, line.length() - 1));
    }
}
