package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @Test
    void minimalConfigTakesDocumentedDefaults() {
        ExperimentConfig c = Yaml.load(Yaml.MINIMAL).config();
        assertEquals(42, c.seed());
        assertEquals(Topology.MANY_TO_ONE, c.task().topology());
        assertEquals(TaskKind.CLASSIFICATION, c.task().kind());
        assertEquals(UpdaterKind.ADAM, c.training().updater().type());
        assertEquals(0.001, c.training().updater().learningRate());
        assertEquals(ClippingKind.CLIP_L2_PER_LAYER, c.training().gradientClipping().type());
        assertEquals(0.7, c.data().split().train());
        assertEquals(NormalizerKind.STANDARDIZE, c.data().normalizer());
        assertFalse(c.model().layers().get(0).bidirectional());
        assertEquals(ActivationKind.TANH, c.model().layers().get(0).activation());
    }

    @Test
    void shippedConfigsLoad() {
        for (String name : List.of("quickstart")) {
            ExperimentConfig c = ConfigLoader.load(Path.of("configs", name + ".yaml"), List.of()).config();
            assertEquals(name, c.name());
        }
    }

    @Test
    void resolvedConfigRoundTripsThroughYaml() {
        ExperimentConfig c = Yaml.load(Yaml.MINIMAL, "model.layers[0].bidirectional=true", "training.updater.schedule.type=step").config();
        String yaml = YamlTrees.toYaml(c);
        assertEquals(c, Yaml.load(yaml).config());
        assertTrue(yaml.contains("type: step"), yaml);
    }

    @Test
    void malformedYamlIsReportedWithItsLine() {
        List<String> p = Yaml.problems("name: t\nmodel:\n  layers: [\n    {type: lstm\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("test.yaml:") && p.get(0).contains("malformed YAML"), p.get(0));
    }

    @Test
    void trainingThreadsIsZeroForAllCoresOrACount() {
        List<String> p = Yaml.problems(Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 1, threads: -1}"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("training.threads: must be in [0, 1024], got -1"), p.get(0));
        assertEquals(2, Yaml.load(Yaml.MINIMAL, "training.threads=2").config().training().threads());
        assertEquals(0, Yaml.load(Yaml.MINIMAL).config().training().threads(), "all cores by default");
    }

    @Test
    void unknownKeySuggestsTheClosestAndNamesItsLine() {
        List<String> p = Yaml.problems(Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 1, batchSzie: 8}"));
        assertEquals(List.of("test.yaml:8: training.batchSzie: unknown key 'batchSzie' (did you mean 'batchSize'?); allowed here: "
                + "epochs, batchSize, updater, gradientClipping, tbpttLength, earlyStopping, shuffle, augmentation, checkpointEvery, classWeights, updaterRestart, weightAveraging, threads, ensemble, crossValidation, distributed"), p);
    }

    @Test
    void wrongTypeNamesPathLineAndExpectation() {
        List<String> p = Yaml.problems(Yaml.MINIMAL.replace("units: 4", "units: four"));
        assertEquals(List.of("test.yaml:7: model.layers[0].units: expected an integer, got 'four'"), p);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> p = Yaml.problems(Yaml.MINIMAL.replace("units: 4", "units: 0").replace("epochs: 1", "epochs: -3")
                .replace("type: lstm", "type: lstn"));
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).contains("model.layers[0].type: expected one of simple-rnn, lstm, gru, got 'lstn' (did you mean 'lstm'?)"), p.get(0));
        assertTrue(p.get(1).contains("model.layers[0].units: must be in [1, 65536], got 0"), p.get(1));
        assertTrue(p.get(2).contains("training.epochs: must be in [1, 100000], got -3"), p.get(2));
    }

    @Test
    void missingRequiredSectionIsNamed() {
        List<String> p = Yaml.problems("name: t\ndata: {format: generated}\n");
        assertEquals(List.of("test.yaml:1: model: missing required key 'model' (a section with keys (layers, weightInit, l2, embeddingSize, head))"), p);
    }

    @Test
    void duplicateKeysAreRejected() {
        List<String> p = Yaml.problems(Yaml.MINIMAL + "seed: 1\nseed: 2\n");
        assertEquals(List.of("test.yaml:10: seed: duplicate key 'seed'"), p);
    }

    @Test
    void emptyLayerListIsOutOfRange() {
        List<String> p = Yaml.problems(Yaml.MINIMAL.replace("    - {type: lstm, units: 4}\n", "").replace("layers:", "layers: []"));
        assertEquals(1, p.size());
        assertTrue(p.get(0).endsWith("model.layers: number of entries must be in [1, 64], got 0"), p.get(0));
    }

    @Test
    void overridesReplaceFieldsAndAreCheckedLikeTheFile() {
        ExperimentConfig c = Yaml.load(Yaml.MINIMAL, "training.epochs=7", "model.layers[0].units=16",
                "model.layers[*].type=simple-rnn", "training.updater={type: sgd, learningRate: 0.1}").config();
        assertEquals(7, c.training().epochs());
        assertEquals(16, c.model().layers().get(0).units());
        assertEquals(CellType.SIMPLE_RNN, c.model().layers().get(0).type());
        assertEquals(UpdaterKind.SGD, c.training().updater().type());

        assertEquals(List.of("--set training.epochs=0: training.epochs: must be in [1, 100000], got 0"),
                Yaml.problems(Yaml.MINIMAL, "training.epochs=0"));
        assertEquals(List.of("--set model.layers[3].units=2: model.layers[3]: 'model.layers' has 1 entries; index 3 is out of range"),
                Yaml.problems(Yaml.MINIMAL, "model.layers[3].units=2"));
        assertTrue(Yaml.problems(Yaml.MINIMAL, "training.epoch=3").get(0).contains("unknown key 'epoch' (did you mean 'epochs'?)"));
        assertTrue(Yaml.problems(Yaml.MINIMAL, "no-equals-sign").get(0).contains("expected path=value"));
    }

    @Test
    void implementationDefaultsToRnnkitAndBuildsTheChosenLayers() {
        for (String type : List.of("lstm", "simple-rnn", "gru")) {
            LayerConfig absent = Yaml.load(Yaml.MINIMAL, "model.layers[0].type=" + type).config().model().layers().get(0);
            assertEquals(null, absent.implementation());
            assertEquals(Implementation.RNNKIT, absent.effectiveImplementation());
            assertEquals("io.rnnkit.nn.layers", io.rnnkit.nn.RecurrentLayers.of(absent, 3).getClass().getPackageName(), type);
            if (!type.equals("gru")) {
                ExperimentConfig dl4j = Yaml.load(Yaml.MINIMAL, "model.layers[0].type=" + type,
                        "model.layers[*].implementation=dl4j").config();
                assertEquals(Implementation.DL4J, dl4j.model().layers().get(0).implementation());
                assertEquals("org.deeplearning4j.nn.conf.layers", io.rnnkit.nn.RecurrentLayers.of(dl4j.model().layers()
                        .get(0), 3).getClass().getPackageName().replace(".recurrent", ""), type);
            }
        }
        String gruDl4j = Yaml.problems(Yaml.MINIMAL, "model.layers[0].type=gru", "model.layers[0].implementation=dl4j").get(0);
        assertTrue(gruDl4j.contains("model.layers[0].implementation: DL4J has no GRU"), gruDl4j);
    }

    @Test
    void recordsCannotBeBuiltInvalidInCode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerConfig(CellType.LSTM, 0, false, ActivationKind.TANH, 0));
        assertEquals("units: must be in [1, 65536], got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerConfig(CellType.LSTM, 8, false, ActivationKind.TANH, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new LayerConfig(null, 8, false, ActivationKind.TANH, 0));
    }

    @Test
    void crossFieldRulesPointAtTheFieldToChange() {
        String splitSum = Yaml.problems(Yaml.MINIMAL, "data.split={train: 0.5, validation: 0.2, test: 0.2}").get(0);
        assertTrue(splitSum.contains("data.split: train + validation + test must be 1, got 0.9"), splitSum);

        String metric = Yaml.problems(Yaml.MINIMAL, "training.earlyStopping.metric=mae").get(0);
        assertTrue(metric.contains("training.earlyStopping.metric: mae is not a metric of a classification task; use loss, accuracy, f1"), metric);

        String tbptt = Yaml.problems(Yaml.MINIMAL, "training.tbpttLength=5").get(0);
        assertTrue(tbptt.contains("training.tbpttLength: truncated BPTT needs a label at every step"), tbptt);

        String noValidation = Yaml.problems(Yaml.MINIMAL, "data.split={train: 0.8, validation: 0, test: 0.2}").get(0);
        assertTrue(noValidation.contains("data.split.validation: is 0, so no epoch can be chosen"), noValidation);
    }

    @Test
    void shapeRulesForVectorToSequenceAndRecursiveForecasts() {
        String generator = String.join("\n", Yaml.problems(Yaml.MINIMAL, "data.generator.kind=chart-synthesis"));
        assertTrue(generator.contains("task.topology: the chart-synthesis generator makes a one-to-many task; set task.topology: one-to-many"), generator);
        assertTrue(generator.contains("task.kind: the chart-synthesis generator makes a regression task"), generator);
        String topology = String.join("\n", Yaml.problems(Yaml.MINIMAL, "task.topology=one-to-many"));
        assertTrue(topology.contains("one-to-many generates text from a seed (data.format: text) or a sequence from one vector"), topology);
        Yaml.load(Yaml.MINIMAL, "data.generator.kind=chart-synthesis", "task={topology: one-to-many, kind: regression}",
                "training.earlyStopping.metric=mae");

        String strategy = Yaml.problems(Yaml.MINIMAL, "data.window.strategy=recursive").get(0);
        assertTrue(strategy.contains("data.window.strategy: applies to format: series only"), strategy);
        String series = Yaml.MINIMAL.replace("  format: generated\n  generator: {samplesPerClass: 10, length: 12}\n",
                "  format: series\n  path: series.csv\n  series: {valueColumns: [a, b], target: a}\n"
                        + "  window: {strategy: recursive, reference: difference}\n").replace("name: t\n", "name: t\ntask: {kind: regression}\n");
        List<String> p;
        try {
            ConfigLoader.parseWithoutFileChecks(series, "test.yaml");
            throw new AssertionError("expected the config to be rejected:\n" + series);
        } catch (ConfigException e) {
            p = e.problems().stream().map(Problem::toString).toList();
        }
        assertTrue(p.stream().anyMatch(x -> x.contains("data.window.strategy: recursive forecasts are fed back as the next input step")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("data.window.reference: recursive forecasting keeps the recurrent state")), p.toString());
    }

    @Test
    void missingDataFileIsNamedWithWhereItWasLooked() {
        String yaml = """
                name: t
                data:
                  format: rows
                  path: ${datasets}/nowhere/none.txt
                  labels: {from: first-column}
                model: {layers: [{type: lstm, units: 4}]}
                """;
        List<String> p = Yaml.problems(yaml);
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("test.yaml:4: data.path: data file ") && p.get(0).contains("nowhere/none.txt does not exist")
                && p.get(0).contains("datasets/fetch.sh"), p.get(0));
    }

    @Test
    void rowsClassificationNeedsALabelSource() {
        String yaml = """
                name: t
                data: {format: rows, path: pom.xml}
                model: {layers: [{type: lstm, units: 4}]}
                """;
        assertTrue(Yaml.problems(yaml).get(0).contains("data.labels.from: classification from rows needs to know where each row's class is"));
    }

    @Test
    void missingConfigFileIsBadInput() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no/such.yaml"), List.of()));
        assertEquals("no/such.yaml: no such config file", e.getMessage());
    }

    @Test
    void sequenceToSequenceNeedsPairsAnEmbeddingAndOneWayLayers() {
        List<String> p = Yaml.problems("""
                name: t
                task: {topology: sequence-to-sequence}
                data: {format: generated, generator: {kind: addition, length: 3}}
                model: {layers: [{type: gru, units: 8, bidirectional: true}]}
                """);
        assertTrue(p.stream().anyMatch(m -> m.contains("model.embeddingSize: symbols are fed as token indices through an embedding layer")), p.toString());
        assertTrue(p.stream().anyMatch(m -> m.contains("data.normalizer: token indices are not scaled")), p.toString());
        assertTrue(p.stream().anyMatch(m -> m.contains("model.layers[0].bidirectional: decoding runs one step at a time")), p.toString());
        List<String> rows = Yaml.problems(Yaml.MINIMAL.replace("name: t", "name: t\ntask: {topology: sequence-to-sequence}"));
        assertTrue(rows.stream().anyMatch(m -> m.contains("task.topology: the synthetic-control generator makes a many-to-one task")), rows.toString());
        List<String> wrongGenerator = Yaml.problems(Yaml.MINIMAL.replace("generator: {", "generator: {kind: dates, "));
        assertTrue(wrongGenerator.stream().anyMatch(m -> m.contains("the dates generator makes a sequence-to-sequence task; set task.topology: sequence-to-sequence")),
                wrongGenerator.toString());
    }
}
