package io.rnnkit.train;

import io.rnnkit.Versions;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.Provenance;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole run, the same for every caller: read and check the data, claim the run directory (only after all
 * input is known to be good, so bad input never touches it), train, evaluate every split, and write
 * {@code config.yaml}, {@code history.csv}, {@code metrics.json} and the bundle {@code model.zip}.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {
    }

    /** The outcome of a run: its directory, the training result and the metrics per split. */
    public record RunResult(Path directory, TrainingResult training, Map<String, SplitMetrics> metrics, SplitData data) {
    }

    public static RunResult run(LoadedConfig loaded, Path outDir, TrainingProgress progress) {
        ExperimentConfig config = loaded.config();
        SplitData split = DatasetLoader.load(loaded);
        RunDirectory.checkUsable(outDir);
        progress.note("data: " + split.train().size() + " train, " + split.validation().size() + " validation, "
                + split.test().size() + " test sequences; " + split.features() + " feature(s), lengths "
                + (split.minLength() == split.maxLength() ? split.maxLength() : split.minLength() + "–" + split.maxLength()));
        PreparedData data = PreparedData.of(split, config);
        RunDirectory run = RunDirectory.claim(outDir);
        run.writeText("config.yaml", YamlTrees.toYaml(config));

        List<EpochRecord> history = new java.util.ArrayList<>();
        TrainingProgress recording = new TrainingProgress() {
            @Override
            public void batch(int epoch, int done, int batches, double loss) {
                progress.batch(epoch, done, batches, loss);
            }

            @Override
            public void epoch(EpochRecord record, int epochs) {
                history.add(record);
                run.writeHistory(history);
                progress.epoch(record, epochs);
            }

            @Override
            public void note(String message) {
                progress.note(message);
            }
        };
        TrainingResult result = Trainer.train(config, data, recording);

        Map<String, SplitMetrics> metrics = new LinkedHashMap<>();
        metrics.put("train", Evaluator.evaluate(result.network(), data.train(), split.train(), data.normalizer(), split.forecast()));
        if (data.validation() != null) {
            metrics.put("validation", Evaluator.evaluate(result.network(), data.validation(), split.validation(), data.normalizer(), split.forecast()));
        }
        metrics.put("test", Evaluator.evaluate(result.network(), data.test(), split.test(), data.normalizer(), split.forecast()));
        run.writeJson("metrics.json", metricsJson(metrics, split));

        Map<String, Map<String, Double>> plain = new LinkedHashMap<>();
        metrics.forEach((k, v) -> plain.put(k, v.values()));
        Provenance provenance = new Provenance(Versions.rnnkit(), Versions.dl4j(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), config.name(), config.seed(), split.fingerprint(),
                result.bestEpoch(), result.seconds(), Instant.now().toString(), plain, GitRevision.of(configFile(loaded)));
        new Bundle(result.network(), data.normalizer(), config, contract(config, split), provenance).write(run.resolve("model.zip"));
        return new RunResult(run.path(), result, metrics, split);
    }

    /** What the trained model reads and returns, from the data it was trained on. */
    static InputContract contract(ExperimentConfig config, SplitData split) {
        InputContract.Forecasting forecast = null;
        if (split.forecast() != null) {
            int target = split.forecast().targetFeature();
            forecast = new InputContract.Forecasting(config.data().window().lookback(), config.data().window().horizon(),
                    split.featureNames().get(target), target);
        }
        return new InputContract(YamlNames.of(config.task().topology()), YamlNames.of(config.task().kind()), split.features(),
                split.featureNames(), config.data().format().fixedLength(), split.minLength(), split.maxLength(), split.outputs(),
                split.classes(), forecast);
    }

    /** Where the config was read from, as a path (which names no file for a config built in code). */
    private static Path configFile(LoadedConfig loaded) {
        try {
            return Path.of(loaded.locations().source());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    static Map<String, Object> metricsJson(Map<String, SplitMetrics> metrics, SplitData split) {
        Map<String, Object> out = new LinkedHashMap<>();
        metrics.forEach((name, m) -> {
            Map<String, Object> values = new LinkedHashMap<>(m.values());
            if (m.confusion() != null) {
                values.put("confusion", Map.of("classes", split.classes(), "matrix", m.confusion()));
            }
            out.put(name, values);
        });
        return out;
    }
}
