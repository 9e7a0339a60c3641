package io.rnnkit.train;

import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.Ensemble;
import io.rnnkit.bundle.Numerics;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.bundle.Provenance;
import io.rnnkit.config.EnsembleConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.SplitMetrics;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of an ensemble ({@code training.ensemble.members} K above 1): K runs of one network each, one after another, on
 * the ensemble's one data split, each an ordinary run in {@code members/N/} of the ensemble's directory (its own
 * config.yaml with its seed, history.csv, metrics.json, model.zip, plots, checkpoint); then the ensemble is evaluated on
 * every split through the one inference path ({@link Predictor} of all K networks), and the ensemble's metrics.json,
 * with each member's test figures beside its own, and its bundle (all K networks) are written at the top. A resumed
 * ensemble keeps its completed members, continues an interrupted one from its checkpoint, and trains the rest.
 */
final class EnsembleTraining {
    /** The member directories' parent, inside the ensemble's run directory. */
    static final String MEMBERS = "members";

    private EnsembleTraining() {
    }

    static ExperimentRunner.RunResult run(ExperimentConfig config, SplitData split, PreparedData data, RunDirectory run,
                                          TrainingProgress progress, boolean resuming, List<TrainingListener> listeners, LoadedConfig loaded) {
        Path configFile = ExperimentRunner.configFile(loaded);
        int count = config.training().ensemble().members();
        run.writeStatus("running", null, 0);
        List<ExperimentRunner.Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ExperimentConfig member = config.ensembleMember(i);
                Path dir = run.resolve(MEMBERS).resolve(Integer.toString(i));
                progress.note("ensemble member " + i + " of " + count + " (seed " + member.seed() + ") → " + dir);
                members.add(new ExperimentRunner.Member(i, member.seed(), member(member, split, data, dir, progress, resuming, listeners, loaded)));
            }
        } catch (RuntimeException e) {
            try {
                run.writeStatus("failed", "ensemble member " + members.size() + ": " + e.getMessage(), 0);
            } catch (RuntimeException unwritten) {
                e.addSuppressed(unwritten);
            }
            throw e;
        }

        List<MultiLayerNetwork> networks = members.stream().map(m -> m.run().training().network()).toList();
        Predictor predictor = Predictor.on(networks, config, data.normalizer(), data.panel(), split);
        Map<String, SplitMetrics> metrics = ExperimentRunner.evaluate(predictor, data);
        io.rnnkit.eval.Backtest.Result backtest = ExperimentRunner.backtest(config, split, predictor, loaded, run, progress);
        Numerics numerics = Numerics.current();
        ExperimentRunner.writeMetrics(run, metrics, split, numerics, backtest, Map.of("ensemble", summary(members, metrics.get("test"))));

        double seconds = members.stream().mapToDouble(m -> m.run().training().seconds()).sum();
        TrainingResult first = members.get(0).run().training();
        Provenance provenance = ExperimentRunner.provenance(config, split, metrics, first.bestEpoch(), seconds, configFile, numerics);
        List<Ensemble.Member> records = members.stream().map(m -> new Ensemble.Member(m.seed(), m.run().training().bestEpoch(),
                finite(m.run().metrics().get("test").values()))).toList();
        new Bundle(networks.get(0), data.normalizer(), config, ExperimentRunner.contract(config, split), provenance,
                split.categories(), split.forecast() == null ? null : split.forecast().fills(), data.panel(), null,
                new Ensemble.Saved(networks.subList(1, networks.size()), records)).write(run.resolve("model.zip"));
        RunPlots.results(run.path(), config, metrics, predictor, data);
        run.writeStatus("completed", null, first.history().size());
        return new ExperimentRunner.RunResult(run.path(), new TrainingResult(first.network(), first.history(), first.bestEpoch(),
                first.stoppedEarly(), seconds), metrics, split, null, backtest, null, members);
    }

    /** One member's run in {@code dir}: kept when a resumed ensemble completed it, continued when interrupted, else trained. */
    private static ExperimentRunner.RunResult member(ExperimentConfig config, SplitData split, PreparedData data, Path dir,
                                                     TrainingProgress progress, boolean resuming, List<TrainingListener> listeners,
                                                     LoadedConfig loaded) {
        if (resuming && Files.isRegularFile(dir.resolve("config.yaml"))) {
            RunDirectory.RunStatus status = RunDirectory.status(dir);
            if (status != null && status.status().equals("completed") && Files.isRegularFile(dir.resolve("model.zip"))) {
                progress.note("  completed before: its model.zip is kept");
                Bundle saved = Bundle.read(dir.resolve("model.zip"));
                Map<String, SplitMetrics> metrics = ExperimentRunner.evaluate(Predictor.on(saved.network(), config, data), data);
                TrainingResult training = new TrainingResult(saved.network(), List.of(), saved.provenance().bestEpoch(), false,
                        saved.provenance().trainingSeconds());
                return new ExperimentRunner.RunResult(dir, training, metrics, split, null, null);
            }
            Checkpoints.Saved checkpoint = Checkpoints.epochsDone(dir) >= 0 ? Checkpoints.read(dir) : null;
            return ExperimentRunner.trainAndWrite(config, split, data, RunDirectory.reopen(dir), progress, checkpoint, listeners, loaded);
        }
        RunDirectory run = RunDirectory.claim(dir);
        run.writeText("config.yaml", YamlTrees.toYaml(config));
        return ExperimentRunner.trainAndWrite(config, split, data, run, progress, null, listeners, loaded);
    }

    /** metrics.json's {@code ensemble}: each member's seed, best epoch and test figures, and the members' mean test figures. */
    private static Map<String, Object> summary(List<ExperimentRunner.Member> members, SplitMetrics ensembleTest) {
        List<Map<String, Object>> list = new ArrayList<>();
        Map<String, Double> mean = new LinkedHashMap<>();
        for (ExperimentRunner.Member m : members) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", m.index());
            one.put("seed", m.seed());
            one.put("directory", MEMBERS + "/" + m.index());
            one.put("bestEpoch", m.run().training().bestEpoch());
            Map<String, Double> test = m.run().metrics().get("test").values();
            one.put("test", ExperimentRunner.finiteJson(test, Map.of()));
            list.add(one);
            test.forEach((k, v) -> mean.merge(k, v / members.size(), Double::sum));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("members", list);
        out.put("memberTestMean", ExperimentRunner.finiteJson(mean, Map.of()));
        out.put("test", ExperimentRunner.finiteJson(ensembleTest.values(), ensembleTest.undefined()));
        out.put("seedStep", EnsembleConfig.SEED_STEP);
        return out;
    }

    /** JSON has no NaN: a member's undefined figures are left out of its record in the bundle. */
    private static Map<String, Double> finite(Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
