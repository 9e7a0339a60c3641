package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped config is one task, derived from its fields once; what the rest of rnnkit asks of it. */
class TaskTest {
    private static Task of(String config) {
        Path file = Path.of("configs", config);
        assertTrue(Files.isRegularFile(file), file + " is shipped");
        return Task.of(ConfigLoader.parseWithoutFileChecks(readString(file), file.toString()));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theShippedConfigsAreTheTasksTheyDescribe() {
        Map<String, Task> expected = Map.ofEntries(
                Map.entry("quickstart.yaml", new Task.Classifier(false)),
                Map.entry("sentiment-lstm.yaml", new Task.Classifier(true)),
                Map.entry("shift-detection-lstm.yaml", new Task.StepTagger()),
                Map.entry("memory-adding-lstm.yaml", new Task.Regressor()),
                Map.entry("airline-passengers-lstm.yaml", new Task.DirectForecaster(WindowReference.LOG_RATIO)),
                Map.entry("airline-passengers-quantile-lstm.yaml", new Task.DirectForecaster(WindowReference.LOG_RATIO,
                        new HeadConfig(HeadKind.QUANTILE, List.of(0.1, 0.5, 0.9)))),
                Map.entry("daily-min-temperatures-quantile-lstm.yaml", new Task.DirectForecaster(WindowReference.NONE,
                        new HeadConfig(HeadKind.QUANTILE, List.of(0.05, 0.5, 0.95)))),
                Map.entry("daily-min-temperatures-recursive-lstm.yaml", new Task.RecursiveForecaster()),
                Map.entry("denoising-lstm.yaml", new Task.StepRegressor()),
                Map.entry("names-lstm.yaml", new Task.TextGenerator()),
                Map.entry("chart-synthesis-lstm.yaml", new Task.VectorToSequence()),
                Map.entry("reversal-gru.yaml", new Task.Translator()),
                Map.entry("nab-nyc-taxi-anomaly.yaml", new Task.AnomalyDetector(WindowReference.NONE)));
        expected.forEach((config, task) -> assertEquals(task, of(config), config));
    }

    @Test
    void whatDiffersBetweenTasksIsAskedOfTheTask() {
        Task tagger = new Task.StepTagger();
        assertEquals(Topology.MANY_TO_MANY, tagger.topology());
        assertEquals(TaskKind.CLASSIFICATION, tagger.kind());
        assertTrue(tagger.answersPerStep() && tagger.networkAnswersEveryStep());
        assertEquals("many-to-many classification model (per-step tagger)", tagger.describe());

        Task recursive = new Task.RecursiveForecaster();
        assertEquals(Topology.MANY_TO_ONE, recursive.topology(), "a forecast per window, whatever network answers it");
        assertTrue(recursive.networkAnswersEveryStep(), "a next-step model answers at every step");
        assertFalse(recursive.answersPerStep());
        assertEquals(ForecastStrategy.RECURSIVE, recursive.forecastStrategy());
        assertEquals(ForecastStrategy.DIRECT, new Task.DirectForecaster(WindowReference.DIFFERENCE).forecastStrategy());
        assertNull(tagger.forecastStrategy());

        List<String> vocabulary = List.of("<unk>", "a", "b", "c");
        assertEquals(4, new Task.Classifier(true).inputWidth(1, vocabulary), "an embedding reads the vocabulary");
        assertEquals(3, new Task.Classifier(false).inputWidth(3, null));
        assertFalse(new Task.Classifier(true).sparseTargets(), "one class per line, one-hot");
        assertTrue(new Task.TextGenerator().sparseTargets());
        assertTrue(new Task.Translator().sparseTargets());
        assertFalse(new Task.Translator().fixedLength(DataFormat.GENERATED), "sources vary in length");
        assertTrue(new Task.StepTagger().fixedLength(DataFormat.GENERATED));
    }
}
