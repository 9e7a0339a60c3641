package io.rnnkit.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.CrossValidationConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.Folds;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * K-fold cross-validation that chooses the epoch count ({@code training.crossValidation}): the training and validation
 * splits are pooled (the test split is never read), each fold trains on the other folds through {@link Trainer} (the one
 * training loop) and records its validation metrics epoch by epoch, the epoch whose mean metric across the folds is best
 * ({@link EpochChoice}: smoothed, ties to the lower mean loss) is chosen, and the caller fits on the whole pool for
 * that many epochs. Each finished fold is saved in the run directory's {@value #FILE}, so a killed run resumed with
 * {@code --resume} trains only the folds it had not finished (a fold cut short starts again from its first epoch).
 * Streamed data ({@code data.streaming}) stays in its cache: the pool and each fold are index views over it, and each
 * fold is trained and validated as a streamed split, so the heap holds indices rather than sequences.
 */
public final class CrossValidation {
    public static final String FILE = "crossvalidation.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private CrossValidation() {
    }

    /** One fold's run: its sizes and its validation metrics, one map per epoch. */
    public record Fold(int fold, int train, int validation, List<Map<String, Double>> epochs) {
        public Fold {
            // metrics by name, however they came (a run's epochs, or a saved file read back): crossvalidation.json's order
            epochs = epochs.stream().map(e -> java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(e))).toList();
        }

        double[] curve(String metric) {
            return epochs.stream().mapToDouble(e -> e.getOrDefault(metric, Double.NaN)).toArray();
        }
    }

    /**
     * What cross-validation found: the epochs chosen and, at that epoch, each fold's validation metrics and their mean
     * and sample standard deviation across the folds.
     */
    public record Outcome(String metric, int smoothing, int epochs, List<Fold> folds) {
        /** Each fold's value of {@code name} at the chosen epoch. */
        public double[] perFold(String name) {
            return folds.stream().mapToDouble(f -> f.epochs().get(epochs - 1).getOrDefault(name, Double.NaN)).toArray();
        }

        public double mean(String name) {
            return java.util.Arrays.stream(perFold(name)).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (n − 1) across the folds. */
        public double std(String name) {
            double[] v = perFold(name);
            double mean = mean(name);
            double squares = 0;
            for (double x : v) {
                squares += (x - mean) * (x - mean);
            }
            return v.length < 2 ? Double.NaN : Math.sqrt(squares / (v.length - 1));
        }

        /** The mean validation curve of {@code name}, epoch by epoch. */
        public double[] meanCurve(String name) {
            return EpochChoice.mean(folds.stream().map(f -> f.curve(name)).toList());
        }

        /** For metrics.json: the choice, then mean, std and per-fold value of every validation metric at the chosen epoch. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("folds", folds.size());
            out.put("metric", metric);
            out.put("smoothing", smoothing);
            out.put("epochs", epochs);
            out.put("mean", mean(metric));
            out.put("std", std(metric));
            out.put("perFold", perFold(metric));
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : folds.get(0).epochs().get(epochs - 1).keySet().stream().sorted().toList()) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("mean", mean(name));
                figures.put("std", std(name));
                figures.put("perFold", perFold(name));
                all.put(name, figures);
            }
            out.put("metrics", all);
            // a fixed key order (Map.of's changes from one JVM to the next): the same run, the same metrics.json
            out.put("foldSizes", folds.stream().map(f -> {
                Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
                sizes.put("train", f.train());
                sizes.put("validation", f.validation());
                return sizes;
            }).toList());
            out.put("meanCurve", meanCurve(metric));
            @SuppressWarnings("unchecked") Map<String, Object> json = (Map<String, Object>) finite(out);
            return json;
        }

        /** One line for the run log and the CLI summary. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "%d-fold cross-validation: %d epochs chosen (validation %s smoothed over %d);"
                    + " at epoch %d %s %.4f ± %.4f (mean ± sd over the folds: %s)", folds.size(), epochs, metric, smoothing, epochs, metric,
                    mean(metric), std(metric), java.util.Arrays.stream(perFold(metric)).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.4f", v))
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /** JSON has no NaN: a figure that came out undefined is written null. */
    private static Object finite(Object value) {
        if (value instanceof double[] values) {
            return java.util.Arrays.stream(values).mapToObj(v -> Double.isFinite(v) ? (Object) v : null).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(); // NaN as a value or inside arrays and maps alike
            map.forEach((k, v) -> out.put(k, v instanceof Double d && !Double.isFinite(d) ? null : finite(v)));
            return out;
        }
        return value;
    }

    /** The splits with training and validation pooled as the training split and no validation: the final fit's data. */
    public static SplitData pooled(SplitData split) {
        SequenceSet pool = pool(split);
        return split.withTraining(pool, pool.subset(new int[0]));
    }

    /** Training and validation, in that order; for streamed splits still read from the cache when asked for. */
    private static SequenceSet pool(SplitData split) {
        return split.validation().size() == 0 ? split.train() : split.train().concat(split.validation());
    }

    /**
     * Trains the folds not yet saved in {@code dir} (null: none saved, nothing written) and chooses the epoch count.
     * The first fold's epochs go to {@code progress} as a plain run's would (so a search's pruner judges a candidate on its
     * first fold); a pruned first fold limits the other folds to its epochs.
     */
    public static Outcome run(ExperimentConfig config, SplitData split, TrainingProgress progress, Path dir) {
        CrossValidationConfig cv = config.training().crossValidation();
        SequenceSet pool = pool(split);
        int classes = pool.isClassification() ? split.classes().size() : 0;
        if (pool.size() < cv.folds()) {
            throw new io.rnnkit.BadInputException("training.crossValidation.folds: " + cv.folds() + " folds of " + pool.size()
                    + " training sequences; give at most " + pool.size());
        }
        Folds folds = Folds.of(pool, cv.folds(), classes, config.seed());
        List<Fold> done = new ArrayList<>(dir == null ? List.of() : saved(dir, folds, pool.size()));
        String metric = YamlNames.of(config.training().earlyStopping().metric());
        int smoothing = config.training().earlyStopping().smoothing();
        ExperimentConfig foldConfig = config;
        if (!done.isEmpty()) {
            progress.note("cross-validation: " + done.size() + " of " + cv.folds() + " folds read back from " + FILE);
            foldConfig = limited(config, done.get(0));
        }
        for (int f = done.size(); f < cv.folds(); f++) {
            // streamed: each fold reads the cache through its indices, its normalizer fitted in one pass over its training part
            SplitData foldSplit = split.withTraining(pool.view(folds.training(f)), pool.view(folds.validation(f)));
            PreparedData data = ExperimentRunner.prepared(config, foldSplit);
            boolean[] pruned = {false};
            TrainingProgress quiet = foldProgress(progress, f == 0, pruned);
            TrainingResult result = Trainer.train(foldConfig, data, quiet);
            Fold fold = new Fold(f + 1, foldSplit.train().size(), foldSplit.validation().size(),
                    result.history().stream().map(EpochRecord::validation).toList());
            done.add(fold);
            if (f == 0 && pruned[0]) {
                foldConfig = limited(config, fold);
            }
            progress.note(String.format(java.util.Locale.ROOT, "cross-validation fold %d/%d (%d train, %d validation): %d epochs,"
                            + " best validation %s %.4f at epoch %d (%.1f s)", f + 1, cv.folds(), fold.train(), fold.validation(),
                    fold.epochs().size(), metric, result.history().get(result.bestEpoch() - 1).validation().get(metric), result.bestEpoch(),
                    result.seconds()));
            if (dir != null) {
                save(dir, done);
            }
        }
        String lossName = YamlNames.of(io.rnnkit.config.Metric.LOSS);
        double[] meanMetric = EpochChoice.mean(done.stream().map(f -> f.curve(metric)).toList());
        double[] meanLoss = EpochChoice.mean(done.stream().map(f -> f.curve(lossName)).toList());
        int epochs = EpochChoice.best(config.training().earlyStopping().metric(), meanMetric, meanLoss, smoothing);
        return new Outcome(metric, smoothing, Math.max(epochs, 1), List.copyOf(done));
    }

    /** The config a fold after a pruned first fold trains with: no more epochs than the first had. */
    private static ExperimentConfig limited(ExperimentConfig config, Fold first) {
        return withEpochs(config, Math.min(config.training().epochs(), first.epochs().size()));
    }

    /** The config for {@code epochs} epochs: the final fit's. */
    public static ExperimentConfig withEpochs(ExperimentConfig c, int epochs) {
        return new ExperimentConfig(c.name(), c.description(), c.seed(), c.task(), c.data(), c.model(), c.training().withEpochs(epochs),
                c.output(), c.evaluation(), c.search());
    }

    /** A fold's progress: minibatches as they go; the first fold's epochs and pruning as a plain run's; notes marked. */
    private static TrainingProgress foldProgress(TrainingProgress outer, boolean first, boolean[] pruned) {
        return new TrainingProgress() {
            @Override
            public void batch(int epoch, int done, int batches, double loss, long sequences) {
                outer.batch(epoch, done, batches, loss, sequences);
            }

            @Override
            public void epoch(EpochRecord record, int epochs) {
                if (first) {
                    outer.epoch(record, epochs);
                }
            }

            @Override
            public boolean stopAfter(EpochRecord record) {
                pruned[0] = first && outer.stopAfter(record);
                return pruned[0];
            }

            @Override
            public void note(String message) {
                outer.note("  " + message);
            }
        };
    }

    private record Saved(List<Fold> done) {
    }

    private static void save(Path dir, List<Fold> done) {
        try {
            io.rnnkit.AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(new Saved(done)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The folds an earlier session of this run finished; none when the file is absent or was made for other folds. */
    private static List<Fold> saved(Path dir, Folds folds, int sequences) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            Saved saved = JSON.readValue(file.toFile(), Saved.class);
            List<Fold> out = new ArrayList<>();
            for (Fold f : saved.done()) {
                if (f.fold() != out.size() + 1 || f.validation() != folds.validation(out.size()).length
                        || f.train() != sequences - f.validation()) {
                    return List.of(); // not these folds: train them all again
                }
                out.add(f);
            }
            return out;
        } catch (IOException e) {
            return List.of(); // cut short while written: the folds are trained again
        }
    }
}
