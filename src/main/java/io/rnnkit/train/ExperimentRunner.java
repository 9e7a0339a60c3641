package io.rnnkit.train;

import io.rnnkit.DirectoryLock;
import io.rnnkit.OutputException;
import io.rnnkit.Versions;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.Numerics;
import io.rnnkit.bundle.Provenance;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.TextUnit;
import io.rnnkit.config.Task;
import io.rnnkit.config.TranslationConfig;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.DelayedPairs;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.eval.TranslationEvaluator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.StreamedSplit;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.nn.NetworkBuilder;
import io.rnnkit.bundle.Predictor;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole run, the same for every caller: read and check the data, claim the run directory (only after all
 * input is known to be good, so bad input never touches it), train, evaluate every split, and write
 * {@code config.yaml}, {@code history.csv}, {@code metrics.json}, the bundle {@code model.zip}, {@code plots/},
 * {@code status.json} and the resumable {@code checkpoint.zip}.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {
    }

    /**
     * The outcome of a run: its directory, the training result and the metrics per split.
     *
     * @param training of an ensemble, its member 0's training (each member's is in {@code members})
     * @param anomaly  an anomaly detector's figures as in metrics.json's {@code anomaly}; null for other tasks
     * @param backtest the backtest ({@code evaluation.backtest}); null without one
     * @param crossValidation what cross-validation found ({@code training.crossValidation}); null without it
     * @param members  an ensemble's members, in order; empty for a run of one network
     */
    public record RunResult(Path directory, TrainingResult training, Map<String, SplitMetrics> metrics, SplitData data,
                            Map<String, Object> anomaly, io.rnnkit.eval.Backtest.Result backtest,
                            CrossValidation.Outcome crossValidation, List<Member> members) {
        public RunResult {
            members = List.copyOf(members);
        }

        public RunResult(Path directory, TrainingResult training, Map<String, SplitMetrics> metrics, SplitData data,
                         Map<String, Object> anomaly, io.rnnkit.eval.Backtest.Result backtest) {
            this(directory, training, metrics, data, anomaly, backtest, null, List.of());
        }

        public RunResult(Path directory, TrainingResult training, Map<String, SplitMetrics> metrics, SplitData data,
                         Map<String, Object> anomaly, io.rnnkit.eval.Backtest.Result backtest, CrossValidation.Outcome crossValidation) {
            this(directory, training, metrics, data, anomaly, backtest, crossValidation, List.of());
        }
    }

    /** An ensemble member's run ({@code members/N/} of the ensemble's directory): its seed and its own training and metrics. */
    public record Member(int index, long seed, RunResult run) {
    }

    /** @param listeners more DL4J listeners for the training loop, such as {@link TrainingUi#listener()} */
    public static RunResult run(LoadedConfig loaded, Path outDir, TrainingProgress progress, TrainingListener... listeners) {
        ExperimentConfig config = loaded.config();
        SplitData split = DatasetLoader.loadForTraining(loaded, progress::note);
        if (config.evaluation().backtest() != null) { // settings the test part cannot follow fail before the directory is claimed
            io.rnnkit.eval.Backtest.originCount(config.evaluation().backtest(), config.data().window().horizon(), split, loaded.locations());
        }
        RunDirectory.checkUsable(outDir);
        PreparedData data = prepare(config, split, progress);
        long parameters = NetworkBuilder.build(config, split.features(), split.vocabulary(), split.outputs()).numParams();
        RunDirectory.checkSpace(outDir, Checkpoints.estimateBytes(parameters) * config.training().ensemble().members());
        RunDirectory run = RunDirectory.claim(outDir);
        try (DirectoryLock lock = run.lock()) {
            run.writeText("config.yaml", YamlTrees.toYaml(config));
            if (config.training().ensemble().enabled()) {
                return EnsembleTraining.run(config, split, data, run, progress, false, List.of(listeners), loaded);
            }
            return fit(config, split, data, run, progress, null, List.of(listeners), loaded);
        }
    }

    /**
     * Continues an interrupted or killed run from its last checkpoint, with the config it was started with
     * (its {@code config.yaml}); on the same machine and seed it ends with the parameters an uninterrupted run
     * would have.
     */
    public static RunResult resume(Path dir, TrainingProgress progress, TrainingListener... listeners) {
        RunDirectory run = RunDirectory.reopen(dir);
        try (DirectoryLock lock = run.lock()) {
            RunDirectory.RunStatus before = RunDirectory.status(dir);
            if (before != null && before.stale()) {
                progress.note(before.message());
            }
            LoadedConfig loaded = ConfigLoader.load(dir.resolve("config.yaml"), List.of());
            ExperimentConfig config = loaded.config();
            SplitData split = DatasetLoader.loadForTraining(loaded, progress::note);
            PreparedData data = prepare(config, split, progress);
            if (config.training().ensemble().enabled()) {
                return EnsembleTraining.run(config, split, data, run, progress, true, List.of(listeners), loaded);
            }
            boolean folds = config.training().crossValidation().enabled();
            // a cross-validated run killed before its final fit has no checkpoint: its saved folds are what it resumes from
            Checkpoints.Saved saved = folds && !java.nio.file.Files.isRegularFile(dir.resolve(Checkpoints.FILE)) ? null : Checkpoints.read(dir);
            if (saved != null) {
                progress.note("resuming after epoch " + saved.state().epochsDone + (folds ? " of the final fit" : " of " + config.training().epochs()));
                String threads = threadsWarning(saved.state().layerThreads, Trainer.threads(config));
                if (threads != null) {
                    progress.note(threads);
                }
            }
            return fit(config, split, data, run, progress, saved, List.of(listeners), loaded);
        }
    }

    /**
     * The warning for a resume whose layers run on another thread count than the epochs before it (training.threads
     * 0 on another machine, or -Drnnkit.threads): the minibatch is split otherwise, so float sums round otherwise
     * ({@link io.rnnkit.nn.layers.LayerThreads}). Null when the counts agree or the checkpoint kept none.
     */
    static String threadsWarning(Integer before, int now) {
        if (before == null || before == now) {
            return null;
        }
        return "warning: the epochs before ran rnnkit's layers on " + before + " thread" + (before == 1 ? "" : "s") + ", this resume on "
                + now + " (training.threads): the results may differ from an uninterrupted run in the last bits (float rounding)";
    }

    private static PreparedData prepare(ExperimentConfig config, SplitData split, TrainingProgress progress) {
        if (config.training().distributed() != null) {
            // before the run directory is claimed: a missing Spark is bad input, not a failed run
            SparkClassPath.require("training.distributed");
        }
        progress.note("data: " + split.train().size() + " train, " + split.validation().size() + " validation, "
                + split.test().size() + " test sequences; " + split.features() + " feature(s), lengths "
                + (split.minLength() == split.maxLength() ? split.maxLength() : split.minLength() + "–" + split.maxLength()));
        if (split.report() != null) {
            progress.note("data: " + split.report().summary());
        }
        double[] weights = split.lossWeights(config.training().classWeights());
        if (weights != null) {
            long[] counts = split.train().labelCounts(split.classes().size());
            StringBuilder line = new StringBuilder("class weights (" + YamlTrees.toPlain(config.training().classWeights()) + "):");
            for (int c = 0; c < weights.length; c++) {
                line.append(String.format(java.util.Locale.ROOT, " %s %.3f (%d training labels)", split.classes().get(c), weights[c], counts[c]));
            }
            progress.note(line.toString());
        }
        if (split.train().streamed()) {
            progress.note("data: streamed in shards of " + shardSize(config, split) + " sequences (data.streaming)");
        }
        return prepared(config, split);
    }

    /** Sequences of streamed splits made into tensors at a time ({@link StreamedSplit#shardSize}). */
    private static int shardSize(ExperimentConfig config, SplitData split) {
        return StreamedSplit.shardSize(config.data().streaming(), split.maxLength() * split.features());
    }

    /**
     * The splits as the trainer reads them, with a normalizer fitted on the training split: tensors in memory, or for
     * streamed splits a pass over the training split that fits the normalizer and minibatches read when asked for.
     */
    static PreparedData prepared(ExperimentConfig config, SplitData split) {
        return split.train().streamed() ? PreparedData.streamed(split, config, null, shardSize(config, split)) : PreparedData.of(split, config);
    }

    /**
     * Trains and writes the run; with {@code training.crossValidation}, first the folds ({@link CrossValidation}, those
     * not saved yet), then the final fit on the training and validation splits pooled for the epochs they chose.
     */
    private static RunResult fit(ExperimentConfig config, SplitData split, PreparedData data, RunDirectory run,
                                 TrainingProgress progress, Checkpoints.Saved resume, List<TrainingListener> listeners, LoadedConfig loaded) {
        if (!config.training().crossValidation().enabled()) {
            return trainAndWrite(config, split, data, run, progress, resume, listeners, loaded, null);
        }
        CrossValidation.Outcome folds;
        if (resume == null) {
            run.writeStatus("running", "cross-validation", 0);
        }
        try {
            folds = CrossValidation.run(config, split, progress, run.path());
        } catch (RuntimeException e) {
            alsoTry(e, () -> run.writeStatus("failed", e.getMessage(), 0));
            throw e;
        }
        ExperimentConfig fitConfig = CrossValidation.withEpochs(config, folds.epochs());
        SplitData pooled = CrossValidation.pooled(split);
        progress.note("final fit on all " + pooled.train().size() + " training sequences for " + folds.epochs() + " epochs, the "
                + folds.folds().size() + " folds' choice");
        TrainingProgress unpruned = new TrainingProgress() { // the epochs are chosen: a search's pruner judged the first fold
            @Override
            public void batch(int epoch, int done, int batches, double loss, long sequences) {
                progress.batch(epoch, done, batches, loss, sequences);
            }

            @Override
            public void epoch(EpochRecord record, int epochs) {
                progress.epoch(record, epochs);
            }

            @Override
            public void note(String message) {
                progress.note(message);
            }
        };
        return trainAndWrite(fitConfig, pooled, prepared(fitConfig, pooled), run, unpruned, resume, listeners, loaded, folds);
    }

    static RunResult trainAndWrite(ExperimentConfig config, SplitData split, PreparedData data, RunDirectory run,
                                   TrainingProgress progress, Checkpoints.Saved resume, List<TrainingListener> listeners, LoadedConfig loaded) {
        return trainAndWrite(config, split, data, run, progress, resume, listeners, loaded, null);
    }

    private static RunResult trainAndWrite(ExperimentConfig config, SplitData split, PreparedData data, RunDirectory run,
                                           TrainingProgress progress, Checkpoints.Saved resume, List<TrainingListener> listeners, LoadedConfig loaded,
                                           CrossValidation.Outcome folds) {
        try {
            return trainAndWriteFiles(config, split, data, run, progress, resume, listeners, loaded, folds);
        } catch (OutputException e) {
            // a full disk or a directory made read-only mid-run: say what survived and how to go on
            throw new OutputException(e.path(), e.getMessage() + "; " + kept(run, config), e);
        }
    }

    /** What a run that could not write its files left behind, and how to continue it. */
    private static String kept(RunDirectory run, ExperimentConfig config) {
        int epochs = Checkpoints.epochsDone(run.path());
        String checkpoint = epochs >= 0 ? "kept " + run.resolve(Checkpoints.FILE) + " with epoch " + epochs + " of " + config.training().epochs()
                + " (continue with: rnnkit train --resume " + run.path() + " once there is space)"
                : "no checkpoint was written, so nothing is resumable";
        String model = java.nio.file.Files.isRegularFile(run.resolve("model.zip")) ? "; model.zip is complete" : "";
        return checkpoint + model;
    }

    /** Runs {@code write}, adding a failure to write to {@code failure} rather than hiding it (the disk may be full). */
    private static void alsoTry(RuntimeException failure, Runnable write) {
        try {
            write.run();
        } catch (OutputException e) {
            failure.addSuppressed(e);
        }
    }

    private static RunResult trainAndWriteFiles(ExperimentConfig config, SplitData split, PreparedData data, RunDirectory run,
                                                TrainingProgress progress, Checkpoints.Saved resume, List<TrainingListener> listeners,
                                                LoadedConfig loaded, CrossValidation.Outcome folds) {
        Path configFile = configFile(loaded);
        List<EpochRecord> history = new ArrayList<>(resume == null ? List.of() : resume.state().history);
        TrainingProgress recording = new TrainingProgress() {
            @Override
            public void batch(int epoch, int done, int batches, double loss, long sequences) {
                progress.batch(epoch, done, batches, loss, sequences);
            }

            @Override
            public void epoch(EpochRecord record, int epochs) {
                history.add(record);
                run.writeHistory(history);
                progress.epoch(record, epochs);
            }

            @Override
            public boolean stopAfter(EpochRecord record) {
                return progress.stopAfter(record);
            }

            @Override
            public void note(String message) {
                progress.note(message);
            }
        };
        Checkpoints checkpoints = new Checkpoints(run.path(), config.training().checkpointEvery());
        run.writeStatus("running", null, history.size());
        // Ctrl-C and SIGTERM run shutdown hooks: keep the last whole epoch and say how to go on
        Thread onSignal = new Thread(() -> {
            RuntimeException unwritten = new OutputException(run.path(), "interrupted", null);
            alsoTry(unwritten, checkpoints::flush); // a full disk must not keep the status from being tried
            alsoTry(unwritten, () -> run.writeStatus("interrupted", "stopped after epoch " + history.size()
                    + "; continue with: rnnkit train --resume " + run.path(), history.size()));
            for (Throwable t : unwritten.getSuppressed()) {
                System.err.println("error: " + t.getMessage());
            }
        }, "rnnkit-checkpoint-on-exit");
        Runtime.getRuntime().addShutdownHook(onSignal);
        TrainingResult result;
        try {
            result = Trainer.train(config, data, recording, checkpoints, resume, listeners);
            checkpoints.flush();
        } catch (RuntimeException e) {
            alsoTry(e, checkpoints::flush);
            alsoTry(e, () -> run.writeStatus("failed", e.getMessage(), history.size()));
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        }

        Predictor predictor = Predictor.on(result.network(), config, data);
        Map<String, SplitMetrics> metrics = evaluate(predictor, data);
        if (Task.of(config) instanceof Task.Translator) {
            addTranslationMetrics(config, split, result.network(), metrics, progress);
        }
        AnomalyRun anomalies = null;
        if (Task.of(config).detectsAnomalies()) {
            anomalies = AnomalyRun.of(predictor, config, split, progress);
            progress.note("anomaly detection over the whole series (" + anomalies.series().length + " steps; threshold from the first "
                    + anomalies.trainEnd() + ", the first " + anomalies.probation() + " not scored):");
            anomalies.summary().forEach(line -> progress.note("  " + line));
        }
        io.rnnkit.eval.Backtest.Result backtest = backtest(config, split, predictor, loaded, run, progress);
        Numerics numerics = Numerics.current();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (anomalies != null) {
            extra.put("anomaly", anomalies.json());
        }
        if (folds != null) {
            extra.put("crossValidation", folds.json());
        }
        writeMetrics(run, metrics, split, numerics, backtest, extra);

        Provenance provenance = provenance(config, split, metrics, result.bestEpoch(), result.seconds(), configFile, numerics);
        new Bundle(result.network(), data.normalizer(), config, contract(config, split), provenance,
                split.categories(), split.forecast() == null ? null : split.forecast().fills(), data.panel(),
                anomalies == null ? null : anomalies.calibration()).write(run.resolve("model.zip"));
        RunPlots.write(run.path(), config, result.history(), metrics, predictor, data);
        if (anomalies != null) {
            anomalies.plot(config, run.path().resolve(RunPlots.DIR));
        }
        run.writeStatus("completed", null, result.history().size());
        return new RunResult(run.path(), result, metrics, split, anomalies == null ? null : anomalies.json(), backtest, folds);
    }

    /** The backtest {@code evaluation.backtest} asks for, of the run's model ({@code predictor}), its files written; null without one. */
    static io.rnnkit.eval.Backtest.Result backtest(ExperimentConfig config, SplitData split, Predictor predictor, LoadedConfig loaded,
                                                   RunDirectory run, TrainingProgress progress) {
        if (config.evaluation().backtest() == null) {
            return null;
        }
        io.rnnkit.eval.Backtest.Result backtest = BacktestRun.run(config, split, predictor, loaded.locations(), progress);
        BacktestRun.summary(backtest).forEach(progress::note);
        BacktestRun.write(run, config, split, backtest);
        return backtest;
    }

    /** metrics.json (the splits, {@code extra}'s sections, the backtest, the numerics) and a model of many series' per-series figures. */
    static void writeMetrics(RunDirectory run, Map<String, SplitMetrics> metrics, SplitData split, Numerics numerics,
                             io.rnnkit.eval.Backtest.Result backtest, Map<String, Object> extra) {
        Map<String, Object> metricsJson = metricsJson(metrics, split, numerics);
        metricsJson.putAll(extra);
        if (backtest != null) {
            metricsJson.put("backtest", BacktestRun.json(backtest));
        }
        run.writeJson("metrics.json", metricsJson);
        if (split.forecast() != null && split.forecast().panel() != null) {
            run.writeText(SERIES_METRICS, seriesCsv(metrics, split.forecast().panel().idColumns()));
        }
    }

    /** A model's metrics on every split of {@code data}, through the one inference path. */
    static Map<String, SplitMetrics> evaluate(Predictor predictor, PreparedData data) {
        Map<String, SplitMetrics> metrics = new LinkedHashMap<>();
        metrics.put("train", Evaluator.evaluate(predictor, data, "train"));
        if (data.has("validation")) {
            metrics.put("validation", Evaluator.evaluate(predictor, data, "validation"));
        }
        // text pooled from several files: each file's test lines scored on their own too, from the same answers
        metrics.put("test", Evaluator.evaluate(predictor, data, "test", data.split().sources()));
        return metrics;
    }

    /** How the bundle was made: versions, the run's seed and data, its best epoch, time and metrics. */
    static Provenance provenance(ExperimentConfig config, SplitData split, Map<String, SplitMetrics> metrics, int bestEpoch,
                                 double seconds, Path configFile, Numerics numerics) {
        Map<String, Map<String, Double>> plain = new LinkedHashMap<>();
        metrics.forEach((k, v) -> plain.put(k, v.values()));
        return new Provenance(Versions.rnnkit(), Versions.dl4j(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), config.name(), config.seed(), split.fingerprint(),
                bestEpoch, seconds, Instant.now().toString(), plain, GitRevision.of(configFile), numerics);
    }

    /**
     * Decodes every split (as an application would, symbol by symbol) and adds exact match, symbol accuracy and
     * edit distance to its teacher-forced metrics; prints the first test pairs with their translations.
     */
    private static void addTranslationMetrics(ExperimentConfig config, SplitData split, MultiLayerNetwork net,
                                              Map<String, SplitMetrics> metrics, TrainingProgress progress) {
        DelayedPairs form = DelayedPairs.fromInputVocabulary(split.vocabulary());
        TranslationConfig translation = config.task().translation();
        for (Map.Entry<String, SplitMetrics> e : metrics.entrySet()) {
            SequenceSet set = e.getKey().equals("train") ? split.train() : e.getKey().equals("validation") ? split.validation() : split.test();
            TranslationEvaluator.Evaluated evaluated = TranslationEvaluator.evaluate(e.getValue(), net, set, form, translation);
            e.setValue(evaluated.metrics());
            TranslationEvaluator.Decoded decoded = evaluated.decoded();
            if (e.getKey().equals("test") && translation.samples() > 0) {
                progress.note("sample translations (test split" + (translation.beamWidth() > 1 ? ", beam width " + translation.beamWidth() : ", greedy") + "):");
                String joiner = config.data().format() == DataFormat.TEXT && config.data().text().unit() == TextUnit.WORD ? " " : "";
                TranslationEvaluator.samples(decoded, form, translation.samples(), joiner).forEach(line -> progress.note("  " + line));
            }
        }
    }

    /** What the trained model reads and returns, from the data it was trained on. */
    static InputContract contract(ExperimentConfig config, SplitData split) {
        Task task = Task.of(config);
        InputContract.Forecasting forecast = null;
        if (task.forecastStrategy() != null) {
            int target = split.forecast().targetFeature();
            io.rnnkit.config.SeriesConfig series = config.data().series();
            InputContract.CovariateColumns covariates = series.covariates() ? new InputContract.CovariateColumns(series.futureColumns(),
                    series.staticColumns(), series.calendar(), config.data().window().horizon()) : null;
            forecast = new InputContract.Forecasting(config.data().window().lookback(), config.data().window().horizon(),
                    split.featureNames().get(target), target, task.forecastStrategy(), covariates);
        }
        return new InputContract(task.topology(), task.kind(), split.features(), split.featureNames(),
                task.fixedLength(config.data()), split.minLength(), split.maxLength(), split.outputs(),
                split.classes(), forecast, split.vocabulary());
    }

    /** Where the config was read from, as a path (which names no file for a config built in code). */
    static Path configFile(LoadedConfig loaded) {
        try {
            return Path.of(loaded.locations().source());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** A run's per-series figures, when its file holds many series. */
    public static final String SERIES_METRICS = "series-metrics.csv";

    /**
     * One row per split and series: the split, the series' id columns, its windows, then its figures (model, naive,
     * seasonal naive) in the order of {@link SplitMetrics.Series#values}; an undefined figure is an empty field.
     */
    static String seriesCsv(Map<String, SplitMetrics> metrics, List<String> idColumns) {
        StringBuilder csv = new StringBuilder();
        for (Map.Entry<String, SplitMetrics> split : metrics.entrySet()) {
            for (SplitMetrics.Series series : split.getValue().series()) {
                if (csv.length() == 0) {
                    List<String> header = new ArrayList<>(List.of("split"));
                    header.addAll(idColumns);
                    header.add("windows");
                    header.addAll(series.values().keySet());
                    csv.append(String.join(",", header.stream().map(ExperimentRunner::csvField).toList())).append('\n');
                }
                csv.append(split.getKey());
                series.id().forEach(v -> csv.append(',').append(csvField(v)));
                csv.append(',').append(series.windows());
                series.values().values().forEach(v -> csv.append(',').append(Double.isFinite(v) ? String.valueOf(v) : ""));
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    /** RFC 4180: a field with a comma, quote or line break quoted, quotes doubled (a region may hold a comma). */
    static String csvField(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /**
     * The summary of a split's per-series figures for metrics.json: how many series, the mean of each figure over the
     * series where it is defined, and on how many series the model's MASE is below each baseline's.
     */
    static Map<String, Object> seriesSummary(SplitMetrics metrics) {
        List<SplitMetrics.Series> series = metrics.series();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", series.size());
        Map<String, Double> means = new LinkedHashMap<>();
        for (String name : series.get(0).values().keySet()) {
            double[] defined = series.stream().mapToDouble(s -> s.values().get(name)).filter(Double::isFinite).toArray();
            means.put(name, defined.length == 0 ? Double.NaN : java.util.Arrays.stream(defined).average().orElse(Double.NaN));
        }
        out.put("mean", finiteJson(means, Map.of()));
        for (String baseline : List.of("naive_", "seasonal_naive_")) {
            long below = metrics.seriesBelow(baseline);
            if (below >= 0) {
                out.put("mase_below_" + baseline + "mase", below);
            }
        }
        return out;
    }

    /** The metrics per split, then the numerics they were computed with (under {@code numerics}, beside the splits). */
    static Map<String, Object> metricsJson(Map<String, SplitMetrics> metrics, SplitData split, Numerics numerics) {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            Map<String, Object> values = finiteJson(m.values(), m.undefined());
            if (!m.horizons().isEmpty()) {
                List<Map<String, Object>> steps = new ArrayList<>();
                for (SplitMetrics.Horizon horizon : m.horizons()) {
                    Map<String, Object> step = new LinkedHashMap<>();
                    step.put("step", horizon.step());
                    step.putAll(finiteJson(horizon.values(), horizon.undefined()));
                    steps.add(step);
                }
                values.put("horizons", steps);
            }
            if (!m.series().isEmpty()) {
                values.put("series", seriesSummary(m));
            }
            if (!m.sources().isEmpty()) {
                Map<String, Object> sources = new LinkedHashMap<>();
                m.sources().forEach((file, figures) -> sources.put(file, finiteJson(figures.values(), figures.undefined())));
                values.put("sources", sources);
            }
            if (m.confusion() != null) {
                Map<String, Object> confusion = new LinkedHashMap<>(); // a fixed key order: the same run, the same file
                confusion.put("classes", split.classes());
                confusion.put("matrix", m.confusion());
                values.put("confusion", confusion);
                Map<String, Object> perClass = new LinkedHashMap<>();
                List<SplitMetrics.ClassFigures> figures = m.perClass();
                for (int c = 0; c < figures.size(); c++) {
                    Map<String, Double> f = new LinkedHashMap<>();
                    f.put("precision", figures.get(c).precision());
                    f.put("recall", figures.get(c).recall());
                    f.put("f1", figures.get(c).f1());
                    Map<String, Object> json = finiteJson(f, Map.of()); // precision is undefined for a class never predicted
                    json.put("support", figures.get(c).support());
                    perClass.put(split.classes().get(c), json);
                }
                values.put("perClass", perClass);
            }
            if (split.report() != null && split.report().splits().containsKey(name)) {
                values.put("missing", split.report().splits().get(name));
            }
            out.put(name, values);
        });
        if (split.report() != null && !split.report().read().isEmpty()) {
            out.put("data", split.report().read()); // how the data was read: sorted, merged, gaps, unseen categories
        }
        out.put("numerics", numerics);
        return out;
    }

    /**
     * Metrics as JSON numbers: an undefined metric, or one that came out NaN or infinite, is written as
     * {@code null} beside {@code <name>_undefined} with the reason (JSON has no NaN, and a string in its place
     * breaks every reader that expects a number).
     */
    static Map<String, Object> finiteJson(Map<String, Double> values, Map<String, String> undefined) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            } else {
                out.put(k, null);
                out.put(k + "_undefined", "not a finite number (" + v + ")");
            }
        });
        undefined.forEach((k, reason) -> {
            out.put(k, null);
            out.put(k + "_undefined", reason);
        });
        return out;
    }
}
