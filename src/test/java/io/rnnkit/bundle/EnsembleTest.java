package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.HeadConfig;
import io.rnnkit.config.HeadKind;
import io.rnnkit.config.Task;
import io.rnnkit.config.WindowReference;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.SequenceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ensembles of seeds ({@code training.ensemble}): the combining against hand-computed values, and a saved ensemble
 * answering with the mean of its members' networks wherever a model answers (the API, predict, evaluate, inspect).
 */
class EnsembleTest {
    @TempDir
    Path dir;

    private static INDArray rows(float[][] values) {
        return Nd4j.createFromArray(values);
    }

    private static void assertRows(double[][] expected, INDArray actual) {
        assertEquals(expected.length, actual.size(0));
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < expected[i].length; k++) {
                assertEquals(expected[i][k], actual.getDouble(i, k), 1e-6, "row " + i + " column " + k);
            }
        }
    }

    @Test
    void classProbabilitiesAndValuesAreAveragedAndOneNetworkPassesThrough() {
        INDArray a = rows(new float[][]{{0.2f, 0.8f}, {0.6f, 0.4f}});
        INDArray b = rows(new float[][]{{0.4f, 0.6f}, {0.9f, 0.1f}});
        INDArray c = rows(new float[][]{{0.0f, 1.0f}, {0.3f, 0.7f}});
        assertRows(new double[][]{{0.2, 0.8}, {0.6, 0.4}}, Ensemble.combine(new Task.Classifier(false), List.of(a, b, c)));
        assertRows(new double[][]{{0.3, 0.7}, {0.75, 0.25}}, Ensemble.combine(new Task.Regressor(), List.of(a, b)));
        assertSame(a, Ensemble.combine(new Task.Classifier(false), List.of(a)), "one network's outputs are its own");
        assertEquals(0.2f, a.getFloat(0, 0), "the members' outputs are left as they were");

        // per step: [n = 1, k = 2, T = 2], step by step
        INDArray s1 = Nd4j.createFromArray(new float[][][]{{{0.1f, 0.5f}, {0.9f, 0.5f}}});
        INDArray s2 = Nd4j.createFromArray(new float[][][]{{{0.3f, 0.0f}, {0.7f, 1.0f}}});
        INDArray steps = Ensemble.combine(new Task.StepTagger(), List.of(s1, s2));
        assertArrayEquals(new long[]{1, 2, 2}, steps.shape());
        assertEquals(0.2, steps.getDouble(0, 0, 0), 1e-6);
        assertEquals(0.8, steps.getDouble(0, 1, 0), 1e-6);
        assertEquals(0.25, steps.getDouble(0, 0, 1), 1e-6);
        assertEquals(0.75, steps.getDouble(0, 1, 1), 1e-6);
    }

    @Test
    void quantilesAreAveragedLevelByLevelThenKeptMonotone() {
        Task task = new Task.DirectForecaster(WindowReference.NONE, new HeadConfig(HeadKind.QUANTILE, List.of(0.1, 0.5, 0.9)));
        // two targets of three quantiles each; member b's second group crosses, so the mean (11, 10, 14) must be sorted
        INDArray a = rows(new float[][]{{1, 2, 3, 10, 11, 12}});
        INDArray b = rows(new float[][]{{3, 4, 5, 12, 9, 16}});
        assertRows(new double[][]{{2, 3, 4, 10, 11, 14}}, Ensemble.combine(task, List.of(a, b)));
    }

    @Test
    void aGaussianHeadBecomesTheMixturesMeanAndVariance() {
        Task task = new Task.DirectForecaster(WindowReference.NONE, new HeadConfig(HeadKind.GAUSSIAN, List.of(0.1, 0.5, 0.9)));
        // target 1: N(0, 1) and N(2, 1): mean 1, variance (1 + 0 + 1 + 4) / 2 − 1 = 2
        // target 2: N(1, 0.5) and N(1, 1.5): mean 1, variance (0.25 + 1 + 2.25 + 1) / 2 − 1 = 1.25
        INDArray a = rows(new float[][]{{0, 1, 1, 0.5f}});
        INDArray b = rows(new float[][]{{2, 1, 1, 1.5f}});
        assertRows(new double[][]{{1, Math.sqrt(2), 1, Math.sqrt(1.25)}}, Ensemble.combine(task, List.of(a, b)));
    }

    @Test
    void theBundleAnswersWithTheMeanOfItsMembersNetworks() throws IOException {
        TrainedModels.Trained trained = TrainedModels.ensembleClassifier();
        RnnModel model = RnnModel.load(trained.bundle());
        assertEquals(Bundle.FORMAT_VERSION, model.formatVersion());
        assertEquals(List.of(42L, 1042L, 2042L), model.members().stream().map(Ensemble.Member::seed).toList());
        SequenceSet test = trained.run().data().test();
        List<double[][]> sequences = TrainedModels.sequences(test);
        List<Classification> answers = model.classify(sequences);

        // by hand: each member's own bundle (members/N/model.zip, written by its ordinary run), probabilities averaged
        Path run = trained.run().directory();
        List<List<Classification>> byMember = List.of(0, 1, 2).stream()
                .map(n -> RnnModel.load(run.resolve("members/" + n + "/model.zip")).classify(sequences)).toList();
        assertFalse(Arrays.equals(byMember.get(0).get(0).probabilities(), byMember.get(1).get(0).probabilities()),
                "members of different seeds answer differently");
        int right = 0;
        for (int i = 0; i < sequences.size(); i++) {
            double[] got = answers.get(i).probabilities();
            for (int c = 0; c < got.length; c++) {
                double mean = 0;
                for (List<Classification> member : byMember) {
                    mean += member.get(i).probabilities()[c] / byMember.size();
                }
                assertEquals(mean, got[c], 1e-6, "sequence " + i + " class " + c);
            }
            right += answers.get(i).index() == test.classOf(i) ? 1 : 0;
        }
        assertEquals(trained.run().metrics().get("test").get("accuracy"), (double) right / test.size(), 1e-12,
                "metrics.json's figures are the saved ensemble's");
        assertFalse(model.canStream());
        UnsupportedByModelException e = assertThrows(UnsupportedByModelException.class, model::openStream);
        assertTrue(e.getMessage().contains("an ensemble of 3 networks answers whole sequences"), e.getMessage());
    }

    @Test
    void metricsJsonReportsEachMembersTestFiguresBesideTheEnsembles() throws IOException {
        TrainedModels.Trained trained = TrainedModels.ensembleClassifier();
        Path run = trained.run().directory();
        ObjectMapper json = new ObjectMapper();
        JsonNode ensemble = json.readTree(run.resolve("metrics.json").toFile()).get("ensemble");
        assertEquals(3, ensemble.get("members").size());
        double sum = 0;
        for (int n = 0; n < 3; n++) {
            JsonNode member = ensemble.get("members").get(n);
            JsonNode own = json.readTree(run.resolve("members/" + n + "/metrics.json").toFile());
            assertEquals(own.get("test").get("accuracy").asDouble(), member.get("test").get("accuracy").asDouble(), 0);
            assertEquals(42 + 1000L * n, member.get("seed").asLong());
            assertTrue(Files.isRegularFile(run.resolve("members/" + n + "/history.csv")), "member " + n + "'s curves");
            sum += member.get("test").get("accuracy").asDouble();
        }
        assertEquals(sum / 3, ensemble.get("memberTestMean").get("accuracy").asDouble(), 1e-12);
        assertEquals(trained.run().metrics().get("test").get("accuracy"), ensemble.get("test").get("accuracy").asDouble(), 0);

        String report = Files.readString(io.rnnkit.report.RunReport.write(run));
        assertTrue(report.contains("<h3>Ensemble: test split</h3>") && report.contains("<td>member 2 (seed 2042)</td>")
                && report.contains("<td>members' mean</td>"), report);
    }

    @Test
    void predictEvaluateAndInspectServeTheEnsemble() throws IOException {
        TrainedModels.Trained trained = TrainedModels.ensembleClassifier();
        RnnModel model = RnnModel.load(trained.bundle());
        List<double[][]> sequences = TrainedModels.sequences(trained.run().data().test());
        Path input = Files.writeString(dir.resolve("rows.csv"), sequences.stream()
                .map(s -> Arrays.stream(s).map(step -> Double.toString(step[0])).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n", "", "\n")));
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", trained.bundle().toString(), "--input", input.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(sequences.size() + 1, lines.size());
        for (int i = 0; i < sequences.size(); i++) {
            String[] fields = lines.get(i + 1).split(",");
            Classification expected = model.classify(sequences.get(i));
            assertEquals(expected.label(), fields[1]);
            for (int c = 0; c < expected.probabilities().length; c++) {
                // a batch against one row: the products round differently in FLOAT
                assertEquals(expected.probabilities()[c], Double.parseDouble(fields[2 + c]), 1e-6, "row " + i + " class " + c);
            }
        }

        CliTest.Outcome inspected = CliTest.rnnkit("inspect", trained.bundle().toString());
        assertEquals(0, inspected.code(), inspected.err());
        assertTrue(inspected.out().contains("ensemble: 3 members of one shape, their outputs combined (class probabilities averaged)"),
                inspected.out());
        assertTrue(inspected.out().contains("  member 2: seed 2042, best epoch "), inspected.out());
        assertTrue(inspected.out().contains("(" + BundleFormat.member(2) + ")"), inspected.out());
        assertTrue(inspected.out().contains("streaming: no: an ensemble of 3 networks"), inspected.out());
    }

    @Test
    void evaluateAndTrainPrintTheEnsemblesFigures() throws IOException {
        Path config = Files.writeString(dir.resolve("e.yaml"), Yaml.MINIMAL.replace("training: {epochs: 1}",
                "training: {epochs: 1, ensemble: {members: 2}}"));
        CliTest.Outcome trainedNow = CliTest.rnnkit("train", config.toString(), "--out", dir.resolve("run").toString());
        assertEquals(0, trainedNow.code(), trainedNow.err());
        assertTrue(trainedNow.out().contains("ensemble of 2 networks ("), trainedNow.out());
        assertTrue(trainedNow.out().matches("(?s).*\n  member 0 \\(seed 42, best epoch 1\\) accuracy=[0-9.]+ .*"), trainedNow.out());
        assertTrue(trainedNow.out().matches("(?s).*\n  member 1 \\(seed 1042, best epoch 1\\) accuracy=[0-9.]+ .*"), trainedNow.out());
        assertTrue(trainedNow.out().contains("(model.zip, metrics.json, config.yaml, plots/, members/N/ with each member's run;"),
                trainedNow.out());
        String testLine = trainedNow.out().lines().filter(l -> l.startsWith("  test ")).findFirst().orElseThrow();
        CliTest.Outcome evaluated = CliTest.rnnkit("evaluate", "--model", dir.resolve("run/model.zip").toString(), "--config",
                config.toString(), "--split", "test");
        assertEquals(0, evaluated.code(), evaluated.err());
        String evaluatedLine = evaluated.out().lines().filter(l -> l.startsWith("  test ")).findFirst().orElseThrow();
        assertEquals(testLine.strip(), evaluatedLine.strip(), "evaluate reproduces the ensemble's test figures");
    }

    @Test
    void aResumedEnsembleKeepsItsCompletedMembersAndTrainsTheRest() throws IOException {
        io.rnnkit.config.LoadedConfig loaded = Yaml.load(Yaml.MINIMAL.replace("training: {epochs: 1}",
                "training: {epochs: 2, ensemble: {members: 3}}"));
        Path run = dir.resolve("run");
        io.rnnkit.train.ExperimentRunner.RunResult first = io.rnnkit.train.ExperimentRunner.run(loaded, run,
                io.rnnkit.train.TrainingProgress.SILENT);
        byte[] member0 = Files.readAllBytes(run.resolve("members/0/model.zip"));
        // as if killed while member 1 wrote its bundle (its checkpoint is there, its model.zip is not); member 2 never started
        Files.delete(run.resolve("members/1/model.zip"));
        Files.writeString(run.resolve("members/1/status.json"), "{\"status\": \"interrupted\", \"epochsDone\": 2}");
        try (var files = Files.walk(run.resolve("members/2"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Files.delete(run.resolve("model.zip"));
        Files.delete(run.resolve("metrics.json"));
        io.rnnkit.train.ExperimentRunner.RunResult resumed = io.rnnkit.train.ExperimentRunner.resume(run,
                io.rnnkit.train.TrainingProgress.SILENT);
        assertArrayEquals(member0, Files.readAllBytes(run.resolve("members/0/model.zip")), "a completed member is kept as it was");
        assertEquals(first.metrics().get("test").values(), resumed.metrics().get("test").values(),
                "the same members, so the same ensemble");
        assertEquals(3, RnnModel.load(run.resolve("model.zip")).members().size());
    }
}
