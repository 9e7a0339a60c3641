package io.rnnkit.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** NAB's standard-profile score on alarms worked by hand, against the values NAB's scorer documents. */
class NabScoreTest {
    private static final int[][] WINDOWS = {{100, 199}, {500, 549}};

    @Test
    void theScaledSigmoidHasNabsDocumentedValues() {
        assertEquals(0.98661, NabScore.scaledSigmoid(-1), 1e-5, "a window's first step");
        assertEquals(0.84828, NabScore.scaledSigmoid(-0.5), 1e-5, "halfway in");
        assertEquals(0, NabScore.scaledSigmoid(0), 1e-12, "its right edge");
        assertEquals(-0.98661, NabScore.scaledSigmoid(1), 1e-5);
        assertEquals(-1, NabScore.scaledSigmoid(3), 0);
    }

    @Test
    void theNullDetectorScoresZeroAndThePerfectOneAHundred() {
        NabScore.Result none = NabScore.score(List.of(), WINDOWS, 0);
        assertEquals(-2, none.raw(), 1e-12);
        assertEquals(0, none.normalized(), 1e-12);
        NabScore.Result perfect = NabScore.score(List.of(100, 500), WINDOWS, 0);
        assertEquals(2, perfect.raw(), 1e-12);
        assertEquals(100, perfect.normalized(), 1e-12);
    }

    @Test
    void anAlarmHalfwayIntoAWindowAndFalseAlarmsNearAndFarFromOne() {
        // halfway: position -(199 - 150 + 1) / 100 = -0.5 → σ = 0.84828 / 0.98661 of A_tp; a second alarm in the window adds nothing
        double halfway = NabScore.scaledSigmoid(-0.5) / NabScore.scaledSigmoid(-1);
        assertEquals(halfway - 1, NabScore.score(List.of(150, 180), WINDOWS, 0).raw(), 1e-12);
        // 10 steps after the first window (width 100): position 10 / 99; before any window: -A_fp
        double near = 0.11 * NabScore.scaledSigmoid(10 / 99.0);
        assertEquals(halfway - 1 + near - 0.11, NabScore.score(List.of(50, 150, 209), WINDOWS, 0).raw(), 1e-12);
        NabScore.Result r = NabScore.score(List.of(50, 150, 209), WINDOWS, 0);
        assertEquals(100 * (r.raw() + 2) / 4, r.normalized(), 1e-12);
        // an alarm at the window's last step is worth almost nothing, but more than missing it
        assertEquals(NabScore.scaledSigmoid(-0.01) / NabScore.scaledSigmoid(-1) - 1, NabScore.score(List.of(199), WINDOWS, 0).raw(), 1e-12);
    }

    @Test
    void theProbationaryPeriodIsNotScored() {
        assertEquals(750, NabScore.probationLength(10_000, 0.15), "at most 5000 × 0.15 steps");
        assertEquals(150, NabScore.probationLength(1000, 0.15));
        // probation 300: the alarm at 50 is ignored and the first window, ending before 300, is not counted
        NabScore.Result r = NabScore.score(List.of(50, 100, 500), WINDOWS, 300);
        assertEquals(1, r.windows());
        assertEquals(1, r.raw(), 1e-12);
        assertEquals(100, r.normalized(), 1e-12);
    }
}
