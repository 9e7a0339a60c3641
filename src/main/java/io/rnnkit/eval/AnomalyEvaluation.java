package io.rnnkit.eval;

import io.rnnkit.bundle.AnomalyCalibration;
import io.rnnkit.bundle.AnomalyDetection;
import io.rnnkit.config.AnomalyConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a detector's events match labelled windows of a series, after NAB's probationary period: the windows
 * detected (an alarm, the first step of an event, inside them), the false-positive events (alarms outside every
 * window), the delay from a window's first step to its first alarm, point-wise precision, recall and F1 of the
 * flagged steps against the steps inside windows, and the NAB standard score ({@link NabScore}). Also the two
 * simple detectors a learnt one is compared with, thresholded the same label-free way ({@link AnomalyCalibration}).
 */
public final class AnomalyEvaluation {
    private AnomalyEvaluation() {
    }

    /**
     * The figures of one detector on one series.
     *
     * @param delays steps from each detected window's first step to its first alarm, in window order
     */
    public record Figures(int windows, int windowsDetected, int falsePositiveEvents, int events, List<Integer> delays,
                          double precision, double recall, double f1, NabScore.Result nab) {
        public double meanDelay() {
            return delays.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }

        /** For metrics.json: numbers, NaN as absent. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("windows", windows);
            out.put("windowsDetected", windowsDetected);
            out.put("falsePositiveEvents", falsePositiveEvents);
            out.put("events", events);
            out.put("meanDelaySteps", finite(meanDelay()));
            out.put("delaysSteps", delays);
            out.put("precision", finite(precision));
            out.put("recall", finite(recall));
            out.put("f1", finite(f1));
            out.put("nabStandard", finite(nab.normalized()));
            out.put("nabRaw", nab.raw());
            return out;
        }
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * @param flags     the detector's flagged steps
     * @param windows   labelled windows {@code {first, last}} as steps, ascending
     * @param probation steps at the start that are not scored
     * @param minGap    unflagged steps that separate events
     */
    public static Figures evaluate(boolean[] flags, double[] scores, int[][] windows, int probation, int minGap) {
        boolean[] scored = flags.clone();
        java.util.Arrays.fill(scored, 0, Math.min(probation, scored.length), false);
        List<AnomalyCalibration.Event> events = AnomalyCalibration.events(scored, scores, minGap);
        List<Integer> alarms = events.stream().map(AnomalyCalibration.Event::start).toList();
        int counted = 0;
        int detected = 0;
        List<Integer> delays = new ArrayList<>();
        boolean[] inWindow = new boolean[flags.length];
        for (int[] w : windows) {
            for (int t = Math.max(w[0], 0); t <= Math.min(w[1], flags.length - 1); t++) {
                inWindow[t] = true;
            }
            if (w[1] < probation) {
                continue;
            }
            counted++;
            alarms.stream().filter(a -> a >= w[0] && a <= w[1]).findFirst().ifPresent(a -> delays.add(a - w[0]));
            detected = delays.size();
        }
        int falsePositives = (int) alarms.stream().filter(a -> java.util.Arrays.stream(windows).noneMatch(w -> a >= w[0] && a <= w[1])).count();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int t = probation; t < flags.length; t++) {
            if (scored[t] && inWindow[t]) {
                tp++;
            } else if (scored[t]) {
                fp++;
            } else if (inWindow[t]) {
                fn++;
            }
        }
        double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        double f1 = tp == 0 ? (tp + fp + fn == 0 ? Double.NaN : 0) : 2 * precision * recall / (precision + recall);
        return new Figures(counted, detected, falsePositives, events.size(), List.copyOf(delays), precision, recall, f1,
                NabScore.score(alarms, windows, probation));
    }

    /**
     * The persistence detector's errors: each step against the one before, {@code y_t − y_{t−1}}, from step
     * {@code first} on (so it scores the steps the learnt detector scores).
     */
    public static double[] persistenceErrors(double[] series, int first) {
        double[] out = nans(series.length);
        for (int t = Math.max(first, 1); t < series.length; t++) {
            out[t] = series[t] - series[t - 1];
        }
        return out;
    }

    /**
     * The rolling z-score detector's errors: each step against the mean of the {@code span} steps before it, in
     * their standard deviations, {@code (y_t − mean) / std} (a flat span: the difference itself, over 1e-12).
     */
    public static double[] rollingZErrors(double[] series, int span) {
        double[] out = nans(series.length);
        for (int t = span; t < series.length; t++) {
            double sum = 0;
            for (int i = t - span; i < t; i++) {
                sum += series[i];
            }
            double mean = sum / span;
            double squares = 0;
            for (int i = t - span; i < t; i++) {
                squares += (series[i] - mean) * (series[i] - mean);
            }
            double std = span > 1 ? Math.sqrt(squares / (span - 1)) : 0;
            out[t] = (series[t] - mean) / Math.max(std, 1e-12);
        }
        return out;
    }

    /** A simple detector's reading of the series: its errors put through a calibration fitted on {@code [0, trainEnd)}. */
    public static AnomalyDetection simple(double[] errors, int trainEnd, AnomalyConfig anomaly) {
        AnomalyCalibration calibration = AnomalyCalibration.fit(errors, trainEnd, anomaly);
        return AnomalyDetection.of(nans(errors.length), errors, calibration);
    }

    private static double[] nans(int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        return out;
    }
}
