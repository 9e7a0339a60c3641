package io.rnnkit.train;

import io.rnnkit.bundle.AnomalyCalibration;
import io.rnnkit.bundle.AnomalyDetection;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.config.AnomalyConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.data.ForecastWindowing;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.AnomalyEvaluation;
import io.rnnkit.eval.NabScore;
import io.rnnkit.report.Chart;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An anomaly detector's run over its whole series after training: its forecast errors calibrated on the
 * training part ({@link AnomalyCalibration}, saved in the bundle), the steps flagged and grouped into events, and
 * the same for the two simple detectors (persistence, rolling z-score over the lookback), each with its own
 * calibration fitted the same way. With labelled windows, each detector's figures ({@link AnomalyEvaluation}).
 *
 * @param detectors per detector name ({@value #MODEL} first) its reading of the series
 * @param figures   per detector its figures against the windows; empty without windows
 */
record AnomalyRun(double[] series, List<String> times, int trainEnd, int probation, AnomalyCalibration calibration,
                  Map<String, AnomalyDetection> detectors, int[][] windows, Map<String, AnomalyEvaluation.Figures> figures,
                  Map<String, Object> semiSupervised) {
    static final String MODEL = "rnnkit";
    static final String PERSISTENCE = "persistence";
    static final String ROLLING_Z = "rolling z-score";

    static AnomalyRun of(Predictor predictor, ExperimentConfig config, SplitData split, TrainingProgress progress) {
        SplitData.Forecast forecast = split.forecast();
        double[] series = forecast.series();
        // the detector's steps are its target's values, each made a step when its window is cut (Predictor.forecastErrors)
        java.util.function.IntFunction<double[]> steps = t -> new double[]{series[t]};
        AnomalyConfig anomaly = config.task().anomaly();
        int lookback = config.data().window().lookback();
        int trainEnd = ForecastWindowing.partStarts(series.length, config.data().split())[0];
        double[][] forecastErrors = predictor.forecastErrors(series.length, steps, lookback);
        AnomalyCalibration calibration = AnomalyCalibration.fit(forecastErrors[1], trainEnd, anomaly);
        Map<String, AnomalyDetection> detectors = new LinkedHashMap<>();
        detectors.put(MODEL, AnomalyDetection.of(forecastErrors[0], forecastErrors[1], calibration));
        detectors.put(PERSISTENCE, AnomalyEvaluation.simple(AnomalyEvaluation.persistenceErrors(series, lookback), trainEnd, anomaly));
        detectors.put(ROLLING_Z, AnomalyEvaluation.simple(AnomalyEvaluation.rollingZErrors(series, lookback), trainEnd, anomaly));
        int probation = NabScore.probationLength(series.length, anomaly.probation());
        Map<String, AnomalyEvaluation.Figures> figures = new LinkedHashMap<>();
        if (forecast.windows() != null) {
            detectors.forEach((name, d) -> figures.put(name, AnomalyEvaluation.evaluate(d.flags(), d.scores(), forecast.windows(),
                    probation, anomaly.minGap())));
        }
        Map<String, Object> semi = anomaly.semiSupervised() && forecast.windows() != null
                ? semiSupervised(config, split, series.length, steps, trainEnd, probation, progress) : null;
        return new AnomalyRun(series, forecast.times(), trainEnd, probation, calibration, detectors, forecast.windows(), figures, semi);
    }

    /**
     * The semi-supervised detector: the same network trained only on windows whose steps (inputs and target) all lie
     * outside the labelled windows, calibrated on the training part's errors outside them, and measured like the
     * others. It has seen the labels, so it is reported apart and is not the saved model.
     */
    private static Map<String, Object> semiSupervised(ExperimentConfig config, SplitData split, int length, java.util.function.IntFunction<double[]> steps, int trainEnd,
                                                      int probation, TrainingProgress progress) {
        int lookback = config.data().window().lookback();
        boolean[] inside = new boolean[length];
        for (int[] w : split.forecast().windows()) {
            java.util.Arrays.fill(inside, w[0], w[1] + 1, true);
        }
        SplitData outside = split.withTraining(outside(split.train(), inside, lookback), outside(split.validation(), inside, lookback));
        progress.note("semi-supervised detector: trained on " + outside.train().size() + " of " + split.train().size()
                + " training windows (those clear of the labelled windows)");
        io.rnnkit.data.PreparedData prepared = io.rnnkit.data.PreparedData.of(outside, config);
        TrainingResult trained = Trainer.train(config, prepared, TrainingProgress.SILENT);
        double[][] forecastErrors = Predictor.on(trained.network(), config, prepared.normalizer(), outside).forecastErrors(length, steps, lookback);
        double[] clear = forecastErrors[1].clone();
        for (int t = 0; t < clear.length; t++) {
            if (inside[t]) {
                clear[t] = Double.NaN; // the calibration reads only errors of steps outside the windows
            }
        }
        AnomalyConfig anomaly = config.task().anomaly();
        AnomalyCalibration calibration = AnomalyCalibration.fit(clear, trainEnd, anomaly);
        AnomalyDetection detection = AnomalyDetection.of(forecastErrors[0], forecastErrors[1], calibration);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trainingWindows", outside.train().size());
        out.put("calibration", calibration);
        out.put("flaggedSteps", count(detection.flags()));
        out.putAll(AnomalyEvaluation.evaluate(detection.flags(), detection.scores(), split.forecast().windows(), probation, anomaly.minGap()).json());
        return out;
    }

    /** The windows of {@code set} none of whose steps, inputs or target, lies in a labelled window. */
    private static io.rnnkit.data.SequenceSet outside(io.rnnkit.data.SequenceSet set, boolean[] inside, int lookback) {
        List<Integer> keep = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            int target = set.origin(i);
            boolean clear = true;
            for (int t = target - lookback; t <= target && clear; t++) {
                clear = !inside[t];
            }
            if (clear) {
                keep.add(i);
            }
        }
        return set.subset(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /** metrics.json's {@code anomaly}: the calibration, the event counts and, with windows, every detector's figures. */
    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", series.length);
        out.put("trainingSteps", trainEnd);
        out.put("probationSteps", probation);
        out.put("calibration", calibration);
        Map<String, Object> byDetector = new LinkedHashMap<>();
        detectors.forEach((name, d) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("threshold", d.threshold());
            entry.put("flaggedSteps", count(d.flags()));
            entry.put("eventsAll", d.events().size());
            if (figures.containsKey(name)) {
                entry.putAll(figures.get(name).json());
            }
            byDetector.put(name, entry);
        });
        out.put("detectors", byDetector);
        if (semiSupervised != null) {
            out.put("semiSupervised", semiSupervised);
        }
        return out;
    }

    /** One line for the run log per detector: what it found against the windows, or its events. */
    List<String> summary() {
        List<String> lines = new java.util.ArrayList<>();
        detectors.forEach((name, d) -> {
            AnomalyEvaluation.Figures f = figures.get(name);
            lines.add(String.format(java.util.Locale.ROOT, "%-16s threshold %.3f  %s", name, d.threshold(), f == null
                    ? d.events().size() + " events"
                    : String.format(java.util.Locale.ROOT, "windows %d/%d  false-positive events %d  mean delay %s steps  P %.3f R %.3f F1 %.3f  NAB %.1f",
                    f.windowsDetected(), f.windows(), f.falsePositiveEvents(), Double.isNaN(f.meanDelay()) ? "-" : String.format(java.util.Locale.ROOT, "%.0f", f.meanDelay()),
                    f.precision(), f.recall(), f.f1(), f.nab().normalized())));
        });
        if (semiSupervised != null) {
            lines.add(String.format(java.util.Locale.ROOT, "%-16s windows %s/%s  false-positive events %s  NAB %.1f (trained on steps outside the windows; not the saved model)",
                    "semi-supervised", semiSupervised.get("windowsDetected"), semiSupervised.get("windows"),
                    semiSupervised.get("falsePositiveEvents"), ((Number) java.util.Objects.requireNonNullElse(semiSupervised.get("nabStandard"), Double.NaN)).doubleValue()));
        }
        return lines;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /**
     * {@code events.csv}: every event of every detector after the probationary period, with its steps (and times),
     * peak score, and the window it falls in (its index from 1, empty for a false positive).
     */
    String eventsCsv() {
        StringBuilder csv = new StringBuilder("detector,event,first_step,last_step,first_time,last_time,steps,peak_score,window\n");
        detectors.forEach((name, d) -> {
            boolean[] scored = d.flags().clone();
            java.util.Arrays.fill(scored, 0, Math.min(probation, scored.length), false);
            List<AnomalyCalibration.Event> events = AnomalyCalibration.events(scored, d.scores(), calibration.minGap());
            for (int e = 0; e < events.size(); e++) {
                AnomalyCalibration.Event event = events.get(e);
                String window = "";
                for (int w = 0; windows != null && w < windows.length; w++) {
                    if (event.start() >= windows[w][0] && event.start() <= windows[w][1]) {
                        window = Integer.toString(w + 1);
                    }
                }
                csv.append(name).append(',').append(e + 1).append(',').append(event.start()).append(',').append(event.end()).append(',')
                        .append(time(event.start())).append(',').append(time(event.end())).append(',').append(event.length()).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.4f", event.peak())).append(',').append(window).append('\n');
            }
        });
        return csv.toString();
    }

    private String time(int step) {
        return times == null || times.get(step) == null ? "" : times.get(step);
    }

    /**
     * {@code anomaly.png}: the series with the labelled windows shaded and the model's events marked, over its
     * score with the threshold; the detectors' scores on one scale (standard deviations of their training errors).
     */
    void plot(ExperimentConfig config, Path dir) {
        double[] x = new double[series.length];
        for (int t = 0; t < x.length; t++) {
            x[t] = t;
        }
        AnomalyDetection model = detectors.get(MODEL);
        double[] flagged = new double[series.length];
        for (int t = 0; t < series.length; t++) {
            flagged[t] = model.flags()[t] ? series[t] : Double.NaN;
        }
        String what = config.data().series().target() == null ? "value" : config.data().series().target();
        Chart top = new Chart(config.name() + ": series, labelled windows (shaded) and rnnkit's flagged steps", "time step of the series", what)
                .add(new Chart.Series("series", x, series))
                .add(new Chart.Series("flagged by rnnkit", x, flagged));
        Chart bottom = new Chart(config.name() + ": anomaly score (training errors' standard deviations) and threshold", "time step of the series", "score")
                .add(new Chart.Series("rnnkit score", x, model.scores()))
                .add(new Chart.Series("rnnkit threshold", x, constant(x.length, model.threshold()), true));
        if (windows != null) {
            for (int[] w : windows) {
                top.shade(w[0], w[1]);
                bottom.shade(w[0], w[1]);
            }
        }
        top.shade(0, probation, true);
        bottom.shade(0, probation, true);
        BufferedImage image = Chart.stack(top.render(), bottom.render());
        Chart.write(image, dir.resolve("anomaly.png"));
        io.rnnkit.AtomicFiles.write(dir.resolve("events.csv"), eventsCsv().getBytes(StandardCharsets.UTF_8));
    }

    private static double[] constant(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
