package io.rnnkit.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Metric;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.crossValidation end to end on small generated data: what metrics.json holds, and a run killed between folds resumed. */
class CrossValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static LoadedConfig config(String... overrides) {
        return Yaml.load(Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 4, crossValidation: {folds: 3},"
                + " earlyStopping: {metric: accuracy, smoothing: 2}}"), overrides);
    }

    /** The chosen epoch is the best of the mean smoothed curve, the final fit trains that long on all training data, the test set untouched. */
    static void checkRun(ExperimentRunner.RunResult run, int folds, int trainingSequences) throws IOException {
        JsonNode cv = JSON.readTree(run.directory().resolve("metrics.json").toFile()).get("crossValidation");
        assertEquals(folds, cv.get("folds").asInt());
        assertEquals(folds, cv.get("perFold").size());
        double sum = 0;
        int validated = 0;
        for (int f = 0; f < folds; f++) {
            sum += cv.get("perFold").get(f).asDouble();
            validated += cv.get("foldSizes").get(f).get("validation").asInt();
            assertEquals(trainingSequences, cv.get("foldSizes").get(f).get("train").asInt() + cv.get("foldSizes").get(f).get("validation").asInt());
        }
        assertEquals(trainingSequences, validated, "every training sequence validated once");
        assertEquals(sum / folds, cv.get("mean").asDouble(), 1e-9);
        assertTrue(cv.get("std").asDouble() >= 0);
        CrossValidation.Outcome outcome = run.crossValidation();
        String loss = "loss";
        int expected = EpochChoice.best(Metric.ACCURACY, outcome.meanCurve("accuracy"), outcome.meanCurve(loss), outcome.smoothing());
        assertEquals(expected, cv.get("epochs").asInt());
        assertEquals(expected, run.training().history().size(), "the final fit trains for the chosen epochs");
        assertEquals(trainingSequences, run.data().train().size(), "the final fit trains on every training sequence");
        assertFalse(run.metrics().containsKey("validation"), "the folds are the validation");
        assertTrue(run.metrics().containsKey("test"));
    }

    @Test
    void aRunKilledBetweenFoldsResumesWithTheFoldsItFinished() throws IOException {
        ExperimentRunner.RunResult whole = ExperimentRunner.run(config(), dir.resolve("whole"), TrainingProgress.SILENT);
        // the generated data's training and validation splits pooled; its test split untouched
        checkRun(whole, 3, whole.data().train().size());
        // as if killed during the second fold: the config, the first fold saved, no checkpoint of the final fit yet
        Path killed = Files.createDirectories(dir.resolve("killed"));
        Files.copy(whole.directory().resolve("config.yaml"), killed.resolve("config.yaml"));
        JsonNode saved = JSON.readTree(whole.directory().resolve(CrossValidation.FILE).toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) saved.get("done")).remove(2);
        ((com.fasterxml.jackson.databind.node.ArrayNode) saved.get("done")).remove(1);
        // the saved fold's metrics in reverse order, as another JVM's Map.copyOf could have written them
        for (JsonNode epoch : saved.get("done").get(0).get("epochs")) {
            com.fasterxml.jackson.databind.node.ObjectNode metrics = (com.fasterxml.jackson.databind.node.ObjectNode) epoch;
            List<String> names = new java.util.ArrayList<>();
            metrics.fieldNames().forEachRemaining(names::add);
            java.util.Collections.reverse(names);
            com.fasterxml.jackson.databind.node.ObjectNode reversed = JSON.createObjectNode();
            names.forEach(n -> reversed.set(n, metrics.get(n)));
            metrics.removeAll().setAll(reversed);
        }
        JSON.writeValue(killed.resolve(CrossValidation.FILE).toFile(), saved);
        List<String> notes = new java.util.ArrayList<>();
        ExperimentRunner.RunResult resumed = ExperimentRunner.resume(killed, new TrainingProgress() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        assertTrue(notes.contains("cross-validation: 1 of 3 folds read back from " + CrossValidation.FILE), notes.toString());
        assertEquals(2, notes.stream().filter(n -> n.startsWith("cross-validation fold ")).count(), "only folds 2 and 3 trained: " + notes);
        assertEquals(Files.readString(whole.directory().resolve(CrossValidation.FILE)), Files.readString(killed.resolve(CrossValidation.FILE)),
                "the same folds as an unbroken run, byte for byte");
        assertEquals(whole.metrics().get("test").values(), resumed.metrics().get("test").values());
        checkRun(resumed, 3, whole.data().train().size());
    }

    @Test
    void validationMetricsAreKeptByNameWhateverOrderTheyCameIn() {
        java.util.Map<String, Double> reversed = new java.util.LinkedHashMap<>();
        List<String> names = List.of("accuracy", "f1", "loss", "macro_f1", "precision", "recall", "weighted_f1");
        for (int k = names.size() - 1; k >= 0; k--) {
            reversed.put(names.get(k), (double) k);
        }
        // Map.copyOf kept them in an order that changes from JVM to JVM, so one run's crossvalidation.json differed from another's
        assertEquals(names, List.copyOf(new EpochRecord(1, 0.5, reversed, 1, true).validation().keySet()));
        assertEquals(names, List.copyOf(new CrossValidation.Fold(1, 10, 5, List.of(reversed)).epochs().get(0).keySet()));
    }

    /** For the learning tier: ECG200's shipped config with 3 folds chooses its epochs and fits on all 100 training heartbeats. */
    @org.junit.jupiter.api.Tag("learning")
    @Test
    void ecg200ChoosesItsEpochsByCrossValidation() throws IOException {
        io.rnnkit.TestData.require("ucr_ecg200/ECG200_TRAIN.txt");
        // ECG200's config before issue 22's study (a validation split, a constant rate, no augmentation), on which the
        // folds choose the epoch: the shipped one trains a fixed schedule on all 100 heartbeats instead
        LoadedConfig loaded = ConfigLoader.load(Path.of("configs", "ecg200-lstm.yaml"), List.of("training.epochs=25",
                "data.split={train: 0.75, validation: 0.25, test: 0, stratify: true}", "training.updater.schedule.type=constant",
                "training.augmentation.jitter=0", "training.augmentation.scaling=0",
                "training.crossValidation.folds=3", "training.earlyStopping={metric: accuracy, smoothing: 3}"));
        long start = System.nanoTime();
        ExperimentRunner.RunResult run = ExperimentRunner.run(loaded, dir.resolve("ecg"), TrainingProgress.SILENT);
        double seconds = (System.nanoTime() - start) / 1e9;
        CrossValidation.Outcome cv = run.crossValidation();
        System.out.printf("ECG200 3-fold CV: %d epochs chosen, accuracy %.4f ± %.4f %s; test accuracy %.4f (%.1f s)%n", cv.epochs(),
                cv.mean("accuracy"), cv.std("accuracy"), java.util.Arrays.toString(cv.perFold("accuracy")),
                run.metrics().get("test").get("accuracy"), seconds);
        checkRun(run, 3, 100);
        double[] curve = cv.meanCurve("accuracy");
        assertTrue(cv.epochs() >= 5, "an LSTM that learns is not best after " + cv.epochs() + " epochs: " + java.util.Arrays.toString(curve));
        assertTrue(cv.mean("accuracy") > curve[0], "the chosen epoch beats the first");
        assertTrue(cv.mean("accuracy") >= 0.75, "cross-validated accuracy " + cv.mean("accuracy"));
        assertTrue(run.metrics().get("test").get("accuracy") >= 0.75, "test accuracy " + run.metrics().get("test").get("accuracy"));
    }
}
