package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of issue 22 at load: their defaults, their YAML, and one message naming the field for each misuse. */
class TrainingRulesTest {

    private static void rejects(String expected, String... overrides) {
        List<String> problems = Yaml.problems(Yaml.MINIMAL, overrides);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(expected), problems.get(0));
    }

    @Test
    void defaultsLeaveTrainingAsItWas() {
        TrainingConfig t = Yaml.load(Yaml.MINIMAL).config().training();
        assertEquals(UpdaterRestart.EVERY_EPOCH, t.updaterRestart());
        assertEquals(0, t.updater().weightDecay());
        assertEquals(0, t.updater().schedule().warmup());
        assertEquals(false, t.updater().plateau().enabled());
        assertEquals(false, t.weightAveraging().enabled());
        assertEquals(false, Yaml.load(Yaml.MINIMAL).config().model().layers().get(0).layerNorm());
    }

    @Test
    void theOptionsLoadFromYaml() {
        ExperimentConfig c = Yaml.load(Yaml.MINIMAL.replace("training: {epochs: 1}", """
                training:
                  epochs: 20
                  updaterRestart: never
                  weightAveraging: {lastEpochs: 5}
                  earlyStopping: {patience: 0, restoreBest: false}
                  updater:
                    type: adamw
                    learningRate: 0.01
                    weightDecay: 0.01
                    schedule: {type: cosine, floor: 0.0001, warmup: 200, warmupUnit: iterations}
                    plateau: {patience: 3, factor: 0.3, minLearningRate: 0.0005}
                """), "model.layers[0].layerNorm=true").config();
        UpdaterConfig u = c.training().updater();
        assertEquals(UpdaterRestart.NEVER, c.training().updaterRestart());
        assertEquals(5, c.training().weightAveraging().lastEpochs());
        assertEquals(UpdaterKind.ADAMW, u.type());
        assertEquals(new ScheduleConfig(ScheduleKind.COSINE, 0.5, 10, 1, 0.0001, 200, WarmupUnit.ITERATIONS), u.schedule());
        assertEquals(new PlateauConfig(3, 0.3, 0.0005), u.plateau());
        assertTrue(c.model().layers().get(0).layerNorm());
        assertEquals(c, Yaml.load(YamlTrees.toYaml(c)).config(), "the resolved config repeats the run");
    }

    @Test
    void misusesNameTheFieldToChange() {
        rejects("training.updaterRestart: expected one of every-epoch, never", "training.updaterRestart=sometimes");
        rejects("training.updater.weightDecay: adamw is adam with decoupled weight decay; give weightDecay > 0", "training.updater.type=adamw");
        rejects("training.updater.weightDecay: and model.l2 both shrink the weights", "training.updater.weightDecay=0.01", "model.l2=0.001");
        rejects("training.updater.weightDecay: is scaled by the learning rate, which adadelta has not",
                "training.updater={type: adadelta, weightDecay: 0.01}");
        rejects("training.updater.schedule.floor: applies to type: cosine only", "training.updater.schedule.floor=0.0001");
        rejects("training.updater.schedule.floor: must be below training.updater.learningRate",
                "training.updater.schedule={type: cosine, floor: 0.01}");
        rejects("training.updater.schedule.warmup: 1 epochs of warm-up leave none of the 1 training epochs", "training.updater.schedule.warmup=1");
        rejects("training.updater.schedule.warmupUnit: expected one of epochs, iterations", "training.updater.schedule.warmupUnit=steps");
        rejects("training.updater.plateau.factor: must be in (0, 1)", "training.updater.plateau.factor=1");
        rejects("training.updater.plateau.patience: reduce-on-plateau watches the validation metric, but data.split.validation is 0",
                "training.updater.plateau.patience=2", "data.split={train: 0.8, validation: 0, test: 0.2}",
                "training.earlyStopping={patience: 0, restoreBest: false}");
        rejects("training.updater.plateau.minLearningRate: must be below training.updater.learningRate",
                "training.updater.plateau={patience: 2, minLearningRate: 0.1}");
        rejects("training.updater.type: adadelta has no learning rate to schedule", "training.updater={type: adadelta, schedule: {type: cosine}}");
        rejects("training.weightAveraging.lastEpochs: averages 2 epochs of 1; at most training.epochs", "training.weightAveraging.lastEpochs=2",
                "training.earlyStopping={patience: 0, restoreBest: false}");
        rejects("training.weightAveraging.lastEpochs: the average of the last epochs takes the best epoch's place; set training.earlyStopping:"
                + " {patience: 0, restoreBest: false}", "training.weightAveraging.lastEpochs=1");
        rejects("model.layers[0].layerNorm: applies to lstm and gru layers", "model.layers[0]={type: simple-rnn, units: 4, layerNorm: true}");
        rejects("model.layers[0].layerNorm: is rnnkit's; DL4J's layers have none",
                "model.layers[0]={type: lstm, units: 4, layerNorm: true, implementation: dl4j}");
    }

    @Test
    void anEnsembleDerivesItsMembersSeedsAndEachMemberTrainsOneNetwork() {
        assertEquals(1, Yaml.load(Yaml.MINIMAL).config().training().ensemble().members(), "one network by default");
        ExperimentConfig c = Yaml.load(Yaml.MINIMAL, "training.ensemble.members=3", "seed=7").config();
        assertTrue(c.training().ensemble().enabled());
        ExperimentConfig member = c.ensembleMember(2);
        assertEquals(2007, member.seed());
        assertEquals(1, member.training().ensemble().members());
        assertEquals(c.training().epochs(), member.training().epochs());
        assertEquals(c.seed(), c.ensembleMember(0).seed(), "member 0 is the network a run without the ensemble trains");
        assertEquals(c, Yaml.load(YamlTrees.toYaml(c)).config(), "the resolved config repeats the run");
    }

    @Test
    void ensemblesOutsideTheirBoundsOrOfTasksWhoseOutputsDoNotCombineAreRefused() {
        rejects("training.ensemble.members", "training.ensemble.members=0");
        rejects("training.ensemble.members", "training.ensemble.members=" + (EnsembleConfig.MAX_MEMBERS + 1));
        String translator = """
                name: dates
                task: {topology: sequence-to-sequence}
                data: {format: generated, generator: {kind: dates, samplesPerClass: 10}, normalizer: none}
                model: {embeddingSize: 4, layers: [{type: gru, units: 4}]}
                training: {ensemble: {members: 2}}
                """;
        List<String> p = Yaml.problems(translator);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("training.ensemble.members: must be 1 for a sequence-to-sequence"), p.get(0));
        assertTrue(p.get(0).contains("a translator's greedy and beam search decode through one network's state"), p.get(0));
        String generator = """
                name: gen
                task: {topology: one-to-many}
                data: {format: text, path: corpus.txt, text: {mode: stream}, normalizer: none}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                training: {ensemble: {members: 2}}
                """;
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.parseWithoutFileChecks(generator, "gen.yaml"));
        assertTrue(e.getMessage().contains("training.ensemble.members: must be 1 for a one-to-many classification model")
                && e.getMessage().contains("a text generator samples token by token"), e.getMessage());
        String detector = """
                name: detector
                task: {kind: anomaly}
                data: {format: series, path: series.csv, window: {lookback: 8}, split: {train: 0.6, validation: 0.1, test: 0.3}}
                model: {layers: [{type: lstm, units: 4}]}
                training: {ensemble: {members: 2}}
                """;
        e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.parseWithoutFileChecks(detector, "d.yaml"));
        assertTrue(e.getMessage().contains("training.ensemble.members: must be 1")
                && e.getMessage().contains("an anomaly detector's threshold is calibrated on one network's errors"), e.getMessage());
    }

    @Test
    void crossValidationMisusesNameTheField() {
        assertEquals(false, Yaml.load(Yaml.MINIMAL).config().training().crossValidation().enabled());
        assertEquals(1, Yaml.load(Yaml.MINIMAL).config().training().earlyStopping().smoothing());
        assertEquals(5, Yaml.load(Yaml.MINIMAL, "training.crossValidation.folds=5").config().training().crossValidation().folds());
        rejects("training.crossValidation.folds: 1 fold validates on the data it trains on", "training.crossValidation.folds=1");
        rejects("training.crossValidation.folds: chooses the epoch count, while training.weightAveraging",
                "training.crossValidation.folds=3", "training.weightAveraging.lastEpochs=1", "training.earlyStopping={patience: 0, restoreBest: false}");
        rejects("training.crossValidation.folds: ends with a fit on all the training data", "training.crossValidation.folds=3",
                "training.updater.plateau.patience=2");
        rejects("training.crossValidation.folds: chooses one network's epoch count, while training.ensemble", "training.crossValidation.folds=3",
                "training.ensemble.members=2");
        rejects("training.earlyStopping.smoothing: must be", "training.earlyStopping.smoothing=0");
        String series = """
                name: forecast
                task: {kind: regression}
                data: {format: series, path: series.csv, window: {lookback: 8}, split: {train: 0.6, validation: 0.1, test: 0.3}}
                model: {layers: [{type: lstm, units: 4}]}
                training: {crossValidation: {folds: 3}}
                """;
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.parseWithoutFileChecks(series, "x.yaml"));
        assertTrue(e.getMessage().contains("training.crossValidation.folds: folds of windows cut from one series would train on the future"),
                e.getMessage());
    }

    @Test
    void distributedTrainingLoadsWithItsDefaultsAndRefusesWhatItCannotDo() {
        DistributedConfig d = Yaml.load(Yaml.MINIMAL, "training.distributed.spark=local[2]").config().training().distributed();
        assertEquals(new DistributedConfig("local[2]", 2, 1, false), d);
        assertEquals(null, Yaml.load(Yaml.MINIMAL).config().training().distributed(), "absent: training in this process");
        rejects("training.distributed.spark: ", "training.distributed.workers=2");
        rejects("training.distributed.spark: ", "training.distributed.spark=mesos://host:5050");
        rejects("training.distributed.workers: ", "training.distributed.spark=local[2]", "training.distributed.workers=0");
        rejects("training.distributed.averagingFrequency: ", "training.distributed.spark=local[2]", "training.distributed.averagingFrequency=0");
        rejects("training.updater.plateau: is not available with training.distributed", "training.distributed.spark=local[2]",
                "training.updater.plateau.patience=2");
        rejects("training.distributed: a search trains each candidate in one place", "training.distributed.spark=local[2]",
                "search.space=[{path: training.batchSize, choice: [8, 16]}]");
        rejects("training.distributed: trains one network data-parallel; training.ensemble", "training.distributed.spark=local[2]",
                "training.ensemble.members=2");
        rejects("training.distributed: trains one network data-parallel; training.crossValidation", "training.distributed.spark=local[2]",
                "training.crossValidation.folds=3");
    }
}
