package io.rnnkit.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Event figures of flagged steps against labelled windows, and the simple detectors' errors, worked by hand. */
class AnomalyEvaluationTest {
    @Test
    void windowsDetectedFalsePositivesDelaysAndPointwiseFigures() {
        boolean[] flags = new boolean[40];
        // probation 5: the flag at 2 is not scored; events start at 12 (in window 10..19), 25 (outside) and 33 (in 30..34)
        for (int t : new int[]{2, 12, 13, 14, 25, 33, 34, 35}) {
            flags[t] = true;
        }
        int[][] windows = {{10, 19}, {30, 34}};
        AnomalyEvaluation.Figures f = AnomalyEvaluation.evaluate(flags, new double[40], windows, 5, 2);
        assertEquals(2, f.windows());
        assertEquals(2, f.windowsDetected());
        assertEquals(List.of(2, 3), f.delays());
        assertEquals(2.5, f.meanDelay(), 1e-12);
        assertEquals(1, f.falsePositiveEvents());
        assertEquals(3, f.events());
        // flagged after probation: 12,13,14,25,33,34,35 → 5 inside windows of 15 window steps
        assertEquals(5 / 7.0, f.precision(), 1e-12);
        assertEquals(5 / 15.0, f.recall(), 1e-12);
        assertEquals(2 * (5 / 7.0) * (5 / 15.0) / (5 / 7.0 + 5 / 15.0), f.f1(), 1e-12);
        assertEquals(NabScore.score(List.of(12, 25, 33), windows, 5).normalized(), f.nab().normalized(), 1e-12);
    }

    @Test
    void anEventStartedBeforeAWindowIsAFalsePositiveAndTheWindowIsMissed() {
        boolean[] flags = new boolean[30];
        for (int t = 8; t <= 12; t++) {
            flags[t] = true;
        }
        AnomalyEvaluation.Figures f = AnomalyEvaluation.evaluate(flags, new double[30], new int[][]{{10, 19}}, 0, 1);
        assertEquals(0, f.windowsDetected());
        assertEquals(1, f.falsePositiveEvents());
    }

    @Test
    void theSimpleDetectorsErrors() {
        double[] y = {1, 2, 4, 7, 7, 1};
        assertArrayEquals(new double[]{Double.NaN, Double.NaN, 2, 3, 0, -6}, AnomalyEvaluation.persistenceErrors(y, 2), 1e-12);
        double[] z = AnomalyEvaluation.rollingZErrors(y, 3);
        // step 3: mean of 1, 2, 4 = 7/3, sample std sqrt(((4/3)² + (1/3)² + (5/3)²) / 2) = sqrt(7/3)
        assertEquals((7 - 7 / 3.0) / Math.sqrt(7 / 3.0), z[3], 1e-12);
        assertEquals(Double.NaN, z[2]);
    }
}
