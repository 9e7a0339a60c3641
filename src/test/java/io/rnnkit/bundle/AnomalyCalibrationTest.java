package io.rnnkit.bundle;

import io.rnnkit.config.AnomalyConfig;
import io.rnnkit.config.ThresholdRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scores, thresholds and events of an anomaly detector, on errors worked by hand. */
class AnomalyCalibrationTest {
    private static final double NAN = Double.NaN;

    private static AnomalyConfig config(int smoothing, ThresholdRule rule, double quantile, double falseAlarms, int minGap) {
        return new AnomalyConfig(smoothing, rule, quantile, falseAlarms, minGap, 0.15, false);
    }

    @Test
    void errorsAreStandardizedByTheirMeanAndSpreadThenAveragedOverTheTrailingSpan() {
        AnomalyCalibration c = new AnomalyCalibration(3, 2, 1, 0.5, 1);
        assertArrayEquals(new double[]{NAN, 1, 0, 1, 3.5}, c.scores(new double[]{NAN, 1, 3, 5, -4}), 1e-12);
        AnomalyCalibration smoothed = new AnomalyCalibration(3, 2, 2, 0.5, 1);
        // the first known error is averaged alone; a NaN in the span is left out of the mean
        assertArrayEquals(new double[]{NAN, 1, 0.5, 0.5, 2.25}, smoothed.scores(new double[]{NAN, 1, 3, 5, -4}), 1e-12);
        assertArrayEquals(new boolean[]{false, true, false, true, true}, c.flags(c.scores(new double[]{NAN, 1, 3, 5, -4})));
    }

    @Test
    void theStatisticsAndTheQuantileThresholdComeFromTheTrainingPartOnly() {
        double[] errors = new double[110];
        for (int t = 0; t < 100; t++) {
            errors[t] = t % 2 == 0 ? 1 : -1; // mean 0, sample std sqrt(100/99)
        }
        java.util.Arrays.fill(errors, 100, 110, 50); // after the training part: never read by the fit
        AnomalyCalibration c = AnomalyCalibration.fit(errors, 100, config(1, ThresholdRule.QUANTILE, 0.9, 1, 1));
        assertEquals(0, c.errorMean(), 1e-12);
        assertEquals(Math.sqrt(100.0 / 99), c.errorStd(), 1e-12);
        assertEquals(1 / Math.sqrt(100.0 / 99), c.threshold(), 1e-12, "every training score is the same");
        assertEquals(List.of(new AnomalyCalibration.Event(100, 109, 50 / Math.sqrt(100.0 / 99))), c.events(c.scores(errors)));
    }

    @Test
    void theQuantileIsTheOrderStatisticAtCeilQN() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 1 .. 100, shuffled order does not matter
        }
        assertEquals(99, AnomalyCalibration.quantile(values, 0.99));
        assertEquals(95, AnomalyCalibration.quantile(values, 0.945));
        assertEquals(100, AnomalyCalibration.quantile(values, 0.999));
    }

    @Test
    void theFalseAlarmRateThresholdIsTheLowestThatKeepsTheTrainingEventsWithinTheBudget() {
        // three bumps of heights 9, 7 and 5 in a flat training part of 1000 steps
        double[] scores = bumps(1000, 100, 9, 400, 7, 700, 5);
        assertEquals(7, AnomalyCalibration.falseAlarmThreshold(scores, 1, 1), "one event allowed: only the 9 stays above");
        assertEquals(5, AnomalyCalibration.falseAlarmThreshold(scores, 2, 1));
        assertEquals(1, AnomalyCalibration.falseAlarmThreshold(scores, 3, 1), "three events: every bump is flagged");
        assertEquals(9, AnomalyCalibration.falseAlarmThreshold(scores, 0, 1), "no event allowed: the highest score");
    }

    /** Scores of 1 at {@code n} steps but for {@code (step, score)} pairs. */
    private static double[] bumps(int n, double... stepsAndScores) {
        double[] scores = new double[n];
        java.util.Arrays.fill(scores, 1);
        for (int i = 0; i < stepsAndScores.length; i += 2) {
            scores[(int) stepsAndScores[i]] = stepsAndScores[i + 1];
        }
        return scores;
    }

    @Test
    void aStepThatBridgesTwoEventsMakesThemOne() {
        double[] scores = bumps(300, 100, 9, 104, 8, 102, 7);
        assertEquals(8, AnomalyCalibration.falseAlarmThreshold(scores, 1, 2), "at 7 the 9 and the 8 are two events");
        assertEquals(1, AnomalyCalibration.falseAlarmThreshold(scores, 2, 2), "below 7 the 7 joins them into one");
        assertEquals(7, AnomalyCalibration.falseAlarmThreshold(scores, 2, 1), "with minGap 1 the three stay apart");
    }

    @Test
    void theFalseAlarmThresholdIsTheOneAWalkOverEveryCandidateFinds() {
        java.util.Random random = new java.util.Random(4);
        for (int trial = 0; trial < 200; trial++) {
            double[] scores = new double[60];
            for (int t = 0; t < scores.length; t++) {
                scores[t] = random.nextInt(12); // ties on purpose
            }
            int minGap = 1 + random.nextInt(4);
            double budget = random.nextInt(8);
            assertEquals(walk(scores, budget, minGap), AnomalyCalibration.falseAlarmThreshold(scores, budget, minGap),
                    "trial " + trial + ", minGap " + minGap + ", budget " + budget);
        }
    }

    /** Every distinct score from the highest down, events counted from scratch each time. */
    private static double walk(double[] scores, double budget, int minGap) {
        double[] distinct = java.util.Arrays.stream(scores).distinct().sorted().toArray();
        double chosen = distinct[distinct.length - 1];
        for (int i = distinct.length - 2; i >= 0; i--) {
            boolean[] flags = new boolean[scores.length];
            for (int t = 0; t < scores.length; t++) {
                flags[t] = scores[t] > distinct[i];
            }
            if (AnomalyCalibration.events(flags, scores, minGap).size() > budget) {
                break;
            }
            chosen = distinct[i];
        }
        return chosen;
    }

    @Test
    void flaggedStepsCloserThanTheMinimumGapAreOneEvent() {
        boolean[] flags = {false, true, true, false, true, false, false, false, true, false};
        double[] scores = {0, 2, 3, 0, 5, 0, 0, 0, 4, 0};
        assertEquals(List.of(new AnomalyCalibration.Event(1, 2, 3), new AnomalyCalibration.Event(4, 4, 5), new AnomalyCalibration.Event(8, 8, 4)),
                AnomalyCalibration.events(flags, scores, 1));
        assertEquals(List.of(new AnomalyCalibration.Event(1, 4, 5), new AnomalyCalibration.Event(8, 8, 4)),
                AnomalyCalibration.events(flags, scores, 2), "one unflagged step no longer separates");
        assertEquals(List.of(new AnomalyCalibration.Event(1, 8, 5)), AnomalyCalibration.events(flags, scores, 4));
    }

    @Test
    void aStreamedScorerGivesTheBatchScores() {
        AnomalyCalibration c = new AnomalyCalibration(0.5, 1.5, 3, 1, 1);
        double[] errors = {NAN, NAN, 2, -1, 4, NAN, 0.5, 7};
        AnomalyCalibration.Scorer scorer = c.scorer();
        double[] batch = c.scores(errors);
        for (int t = 0; t < errors.length; t++) {
            assertEquals(batch[t], scorer.next(errors[t]), 0, "step " + t);
        }
    }

    @Test
    void anImpossibleCalibrationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AnomalyCalibration(0, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyCalibration(0, 1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyCalibration(0, 1, 1, NAN, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnomalyCalibration.fit(new double[]{NAN, 1, NAN}, 3, config(1, ThresholdRule.QUANTILE, 0.9, 1, 1)));
        assertTrue(e.getMessage().contains("1 forecast error"), e.getMessage());
    }
}
