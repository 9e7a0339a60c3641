package io.rnnkit;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Tiny models trained once per test JVM and shared by the tests that only use them (training is the slow
 * part of the suite): each is a run directory with its bundle, trained on small data written here.
 */
public final class TrainedModels {
    /** A finished run and its bundle. */
    public record Trained(ExperimentRunner.RunResult run, Path bundle) {
    }

    private static final Map<String, Trained> CACHE = new HashMap<>();
    private static Path root;

    private TrainedModels() {
    }

    /** Generated synthetic-control charts: 6 classes, length 12, one feature, one LSTM layer of 4 units, 2 epochs. */
    public static Trained classifier() {
        return cached("classifier", () -> Yaml.MINIMAL.replace("epochs: 1", "epochs: 2"));
    }

    /** {@link #classifier()}'s data and network as an ensemble of 3 seeds (training.ensemble), 2 epochs each. */
    public static Trained ensembleClassifier() {
        return cached("ensemble", () -> Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 2, ensemble: {members: 3}}"));
    }

    /** The same data read both ways by a bidirectional layer. */
    public static Trained bidirectionalClassifier() {
        return cached("bidirectional", () -> Yaml.MINIMAL.replace("{type: lstm, units: 4}", "{type: lstm, units: 4, bidirectional: true}"));
    }

    /** Sequence files of 2 features and lengths 5–13 in two classes (a sine against a ramp): a variable-length model. */
    public static Trained variableLengthClassifier() {
        return cached("variable", () -> """
                name: variable
                data: {format: sequence-files, path: %s, split: {train: 0.6, validation: 0.2, test: 0.2}}
                model: {layers: [{type: lstm, units: 5}, {type: simple-rnn, units: 3}]}
                training: {epochs: 2, batchSize: 8}
                """.formatted(sequenceFiles(folder("variable-data"), 30)));
    }

    /** A sequence-to-sequence model, barely trained: reversal of 1 to 4 letters, one GRU of 16 units, 2 epochs. */
    public static Trained translator() {
        return cached("translator", () -> """
                name: translator
                task: {topology: sequence-to-sequence, translation: {maxSourceLength: 4, maxTargetLength: 6, samples: 0}}
                data: {format: generated, generator: {kind: reversal, samplesPerClass: 600, length: 4}, normalizer: none}
                model: {embeddingSize: 4, layers: [{type: gru, units: 16}]}
                training: {epochs: 2, batchSize: 32, updater: {learningRate: 0.02}}
                """);
    }

    /** A seasonal series of one column, forecast 2 steps ahead from the last 8. */
    public static Trained forecaster() {
        return cached("forecaster", () -> """
                name: forecaster
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, valueColumns: [value]}
                  window: {lookback: 8, horizon: 2}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 6}]}
                training: {epochs: 2, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(series(folder("series-data").resolve("series.csv"), 160, false)));
    }

    /**
     * A forecaster of 2 steps with quantiles 0.1, 0.5 and 0.9 per step (model.head), on windows measured as differences
     * and standardized, so the quantiles pass through both maps back to the data's units.
     */
    public static String quantileForecasterYaml(Path series) {
        return """
                name: quantiles
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, valueColumns: [value]}
                  window: {lookback: 8, horizon: 2, reference: difference}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                  normalizer: standardize
                model: {layers: [{type: lstm, units: 6}], head: {type: quantile, levels: [0.1, 0.5, 0.9]}}
                training: {epochs: 2, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(series);
    }

    /** {@link #quantileForecasterYaml}, trained once. */
    public static Trained quantileForecaster() {
        return cached("quantiles", () -> quantileForecasterYaml(series(folder("quantile-data").resolve("series.csv"), 160, false)));
    }

    /** Two columns in, the first forecast 2 steps ahead from the last 6, with min-max scaling. */
    public static Trained twoColumnForecaster() {
        return cached("two-columns", () -> """
                name: two-columns
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, target: value}
                  window: {lookback: 6, horizon: 2}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                  normalizer: min-max
                model: {layers: [{type: simple-rnn, units: 4}]}
                training: {epochs: 1, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(series(folder("two-column-data").resolve("series.csv"), 120, true)));
    }

    /**
     * An anomaly detector (task.kind: anomaly) on an hourly seasonal series of 300 steps with jumps at steps 100–104
     * (in the training part) and 250–254, forecasting each hour from the 8 before, with the jumps' windows in a CSV
     * windows file (and the semi-supervised detector beside it).
     */
    public static Trained detector() {
        return cached("detector", () -> {
            Path folder = folder("detector-data");
            Path series = anomalySeries(folder.resolve("series.csv"), 300);
            Path windows = write(folder.resolve("windows.csv"), "start,end\n2020-01-05T04:00,2020-01-05T10:00\n2020-01-11T10:00,2020-01-11T16:00\n");
            return """
                    name: detector
                    task: {kind: anomaly, anomaly: {smoothing: 2, quantile: 0.98, minGap: 3, semiSupervised: true}}
                    data:
                      format: series
                      path: %s
                      series: {timeColumn: time}
                      labels: {windows: %s}
                      window: {lookback: 8, horizon: 1, stride: 2}
                      split: {train: 0.6, validation: 0.1, test: 0.3}
                    model: {layers: [{type: lstm, units: 6}]}
                    training: {epochs: 2, batchSize: 16, earlyStopping: {metric: mae}}
                    """.formatted(series, windows);
        });
    }

    /** An hourly series {@code time,value} from 2020-01-01T00:00, period 12, with the value raised by 15 at steps 100–104 and 250–254. */
    public static Path anomalySeries(Path file, int steps) {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("time,value\n");
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int t = 0; t < steps; t++) {
            double value = 20 + 5 * Math.sin(2 * Math.PI * t / 12) + 0.5 * random.nextGaussian() + (t >= 250 && t < 255 || t >= 100 && t < 105 ? 15 : 0);
            csv.append(start.plusHours(t)).append(',').append(String.format(Locale.ROOT, "%.3f", value)).append('\n');
        }
        return write(file, csv.toString());
    }

    /** The sequences of a split, in order. */
    public static List<double[][]> sequences(SequenceSet set) {
        List<double[][]> out = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(set.sequence(i));
        }
        return out;
    }

    private static synchronized Trained cached(String name, Supplier<String> yaml) {
        return CACHE.computeIfAbsent(name, n -> {
            Path config = write(folder(n + "-config").resolve(n + ".yaml"), yaml.get());
            ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), folder(n).resolve("run"),
                    TrainingProgress.SILENT);
            return new Trained(run, run.directory().resolve("model.zip"));
        });
    }

    /**
     * {@code folder/features/i.csv} (one step a line: two values) and {@code labels/i.csv}: class 0 a noisy sine
     * in the first value, class 1 a noisy ramp; lengths cycle through 5–13.
     */
    public static Path sequenceFiles(Path folder, int count) {
        Random random = new Random(11);
        for (int i = 0; i < count; i++) {
            int label = i % 2;
            int length = 5 + i % 9;
            StringBuilder steps = new StringBuilder();
            for (int t = 0; t < length; t++) {
                double first = label == 0 ? Math.sin(t * 0.9) : t / 6.0 - 1;
                steps.append(String.format(Locale.ROOT, "%.4f,%.4f%n", first + 0.1 * random.nextGaussian(), random.nextGaussian()));
            }
            write(folder.resolve("features/" + i + ".csv"), steps.toString());
            write(folder.resolve("labels/" + i + ".csv"), label + "\n");
        }
        return folder;
    }

    /**
     * {@code folder/features/i.csv} and {@code labels/i.csv} with a label a step: one value a step, its class the
     * sign of the value ({@code up}, {@code down}); lengths cycle through 5–11.
     */
    public static Path perStepSequenceFiles(Path folder, int count) {
        Random random = new Random(5);
        for (int i = 0; i < count; i++) {
            StringBuilder x = new StringBuilder();
            StringBuilder y = new StringBuilder();
            for (int t = 0; t < 5 + i % 7; t++) {
                double v = random.nextGaussian();
                x.append(v).append('\n');
                y.append(v > 0 ? "up" : "down").append('\n');
            }
            write(folder.resolve("features/" + i + ".csv"), x.toString());
            write(folder.resolve("labels/" + i + ".csv"), y.toString());
        }
        return folder;
    }

    /** A CSV series {@code t,value[,other]} with a period of 12 steps around a level of 20, noise seeded. */
    public static Path series(Path file, int steps, boolean secondColumn) {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder(secondColumn ? "t,value,other\n" : "t,value\n");
        for (int t = 0; t < steps; t++) {
            double value = 20 + 5 * Math.sin(2 * Math.PI * t / 12) + random.nextGaussian();
            csv.append(t).append(',').append(String.format(Locale.ROOT, "%.3f", value));
            if (secondColumn) {
                csv.append(',').append(String.format(Locale.ROOT, "%.3f", Math.cos(2 * Math.PI * t / 12) + 0.1 * random.nextGaussian()));
            }
            csv.append('\n');
        }
        return write(file, csv.toString());
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path folder(String name) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("rnnkit-test-models");
                Runtime.getRuntime().addShutdownHook(new Thread(TrainedModels::deleteRoot));
            }
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRoot() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // the temporary directory is the system's to clean after that
        }
    }
}
