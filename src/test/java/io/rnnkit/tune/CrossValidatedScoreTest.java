package io.rnnkit.tune;

import io.rnnkit.config.Metric;
import io.rnnkit.config.SplitName;
import io.rnnkit.train.CrossValidation;
import io.rnnkit.train.ExperimentRunner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A cross-validated candidate is scored on split: validation by its folds' mean at the chosen epoch (a run of it has no validation split). */
class CrossValidatedScoreTest {
    @Test
    void theValidationScoreIsTheFoldsMeanAtTheChosenEpoch() {
        CrossValidation.Fold a = new CrossValidation.Fold(1, 8, 4, List.of(Map.of("accuracy", 0.5, "loss", 0.9), Map.of("accuracy", 0.75, "loss", 0.6)));
        CrossValidation.Fold b = new CrossValidation.Fold(2, 8, 4, List.of(Map.of("accuracy", 0.25, "loss", 1.0), Map.of("accuracy", 1.0, "loss", 0.4)));
        CrossValidation.Outcome outcome = new CrossValidation.Outcome("accuracy", 1, 2, List.of(a, b));
        ExperimentRunner.RunResult run = new ExperimentRunner.RunResult(null, null, Map.of(), null, null, null, outcome);
        assertEquals(0.875, new MetricScore(Metric.ACCURACY, SplitName.VALIDATION).of(run), 1e-12);
        assertEquals(0.5, new MetricScore(Metric.LOSS, SplitName.VALIDATION).of(run), 1e-12);
        assertEquals(Math.sqrt(2 * 0.125 * 0.125), outcome.std("accuracy"), 1e-12, "the sample standard deviation");
        assertThrows(IllegalStateException.class, () -> new MetricScore(Metric.ACCURACY, SplitName.TEST).of(run), "test is the run's own");
    }
}
