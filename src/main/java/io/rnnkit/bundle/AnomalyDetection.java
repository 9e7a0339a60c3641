package io.rnnkit.bundle;

import java.util.List;

/**
 * An anomaly detector's reading of a series, one entry per step of it: the one-step forecast of its target and
 * its error (NaN where the steps before do not make a whole window), the score, whether it is flagged, and the
 * flagged steps grouped into events ({@link AnomalyCalibration}).
 */
public record AnomalyDetection(double[] forecasts, double[] errors, double[] scores, boolean[] flags,
                               List<AnomalyCalibration.Event> events, double threshold) {
    public AnomalyDetection {
        events = List.copyOf(events);
    }

    public int steps() {
        return scores.length;
    }

    /** Scores, flags and events from per-step errors, as {@code calibration} says. */
    public static AnomalyDetection of(double[] forecasts, double[] errors, AnomalyCalibration calibration) {
        double[] scores = calibration.scores(errors);
        return new AnomalyDetection(forecasts, errors, scores, calibration.flags(scores), calibration.events(scores), calibration.threshold());
    }
}
