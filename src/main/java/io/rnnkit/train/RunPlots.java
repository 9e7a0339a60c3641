package io.rnnkit.train;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.TaskKind;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.report.Chart;
import io.rnnkit.bundle.Predictor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The figures of a run directory's {@code plots/}: loss curves, the early-stopping metric per epoch, the
 * per-layer gradient norms, and the test split's confusion matrix (classification) or forecasts over the whole
 * horizon of the last test windows against the actual series and the naive baselines (forecasting; the points
 * drawn are in {@code forecast.csv} beside the plot).
 */
final class RunPlots {
    static final String DIR = "plots";

    private RunPlots() {
    }

    static void write(Path runDir, ExperimentConfig config, List<EpochRecord> history, Map<String, SplitMetrics> metrics,
                      Predictor predictor, PreparedData data) {
        curves(runDir.resolve(DIR), config, history);
        results(runDir, config, metrics, predictor, data);
    }

    /** The training curves: loss, the task's metric and the gradient norms per epoch. */
    private static void curves(Path dir, ExperimentConfig config, List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        Chart loss = new Chart(config.name() + ": loss per epoch", "epoch", "loss")
                .add(new Chart.Series("train", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray()));
        if (history.stream().anyMatch(r -> r.validation().containsKey("loss"))) {
            loss.add(new Chart.Series("validation", epochs, values(history, "loss")));
        }
        loss.write(dir.resolve("loss.png"));

        // the task's own metric: the one early stopping watches, unless that is the loss (already shown above)
        String chosen = YamlNames.of(config.training().earlyStopping().metric());
        String metric = !chosen.equals("loss") ? chosen : config.task().kind() == TaskKind.CLASSIFICATION ? "accuracy" : "mae";
        if (history.stream().anyMatch(r -> r.validation().containsKey(metric))) {
            new Chart(config.name() + ": validation " + metric + " per epoch", "epoch", metric)
                    .add(new Chart.Series("validation " + metric, epochs, values(history, metric)))
                    .write(dir.resolve("metric.png"));
        }

        Set<String> layers = new TreeSet<>();
        history.forEach(r -> layers.addAll(r.gradientNorms().keySet()));
        if (!layers.isEmpty()) {
            Chart gradients = new Chart(config.name() + ": gradient norm per layer (before clipping)", "epoch",
                    "mean ‖∂L/∂θ‖₂ over the epoch's minibatches").logY();
            for (String layer : layers) {
                int index = Integer.parseInt(layer);
                String kind = index < config.model().layers().size() ? YamlNames.of(config.model().layers().get(index).type()) : "output";
                gradients.add(new Chart.Series("layer " + layer + " (" + kind + ")",
                        epochs, history.stream().mapToDouble(r -> r.gradientNorms().getOrDefault(layer, Double.NaN)).toArray()));
            }
            gradients.write(dir.resolve("gradients.png"));
        }

    }

    /** What the model's answers show: the test split's confusion matrix, or a forecaster's last test windows. */
    static void results(Path runDir, ExperimentConfig config, Map<String, SplitMetrics> metrics, Predictor predictor, PreparedData data) {
        Path dir = runDir.resolve(DIR);
        SplitData split = data.split();
        SplitMetrics test = metrics.get("test");
        if (test != null && test.confusion() != null) {
            Chart.write(Chart.confusion(config.name() + ": confusion matrix (test split)", split.classes(), test.confusion()),
                    dir.resolve("confusion.png"));
        }
        if (split.forecast() != null && split.test().size() > 1) {
            forecast(config, predictor, data, dir);
        }
    }

    /** Forecast steps shown: the most recent ones, few enough for the eye to follow each line. */
    private static final int FORECAST_STEPS = 120;

    /**
     * One forecast step of a window shown in the plot: where it lies in the series, the actual value, the
     * network's forecast and the baselines' (seasonal naive: NaN without a season).
     */
    record ForecastPoint(int window, int step, int time, double actual, double model, double naive, double seasonalNaive,
                         double lower, double upper) {
        /** This point of a window counted {@code windows} further on (the windows predicted were the split's last). */
        ForecastPoint after(int windows) {
            return new ForecastPoint(window + windows, step, time, actual, model, naive, seasonalNaive, lower, upper);
        }
    }

    /** The widest central interval a probabilistic head declares, as indices into its levels; null for point forecasts. */
    private static int[] widest(List<Predictor.Answer> predicted) {
        Predictor.Intervals in = predicted.isEmpty() ? null : predicted.get(0).intervals();
        return in == null || in.central().isEmpty() ? null : in.central().get(0);
    }

    /**
     * The whole horizon of the last test windows whose horizons do not overlap, in time order, up to about
     * {@link #FORECAST_STEPS} steps: each window's forecast beside the naive and seasonal-naive ones.
     */
    static List<ForecastPoint> forecastPoints(SequenceSet test, List<Predictor.Answer> predicted, SplitData.Forecast forecast) {
        int h = test.targetWidth();
        double[] naive = Evaluator.baselineErrors(test, forecast, 1);
        double[] seasonal = forecast.seasonalPeriod() > 1 ? Evaluator.baselineErrors(test, forecast, forecast.seasonalPeriod()) : null;
        List<Integer> shown = new ArrayList<>();
        for (int i = test.size() - 1; i >= 0 && shown.size() * h < FORECAST_STEPS; i--) {
            if (shown.isEmpty() || time(test, i, h) + h <= time(test, shown.get(0), h)) {
                shown.add(0, i);
            }
        }
        int[] band = widest(predicted);
        List<ForecastPoint> points = new ArrayList<>();
        for (int i : shown) {
            double[] actual = test.target(i);
            for (int j = 0; j < h; j++) {
                int k = i * h + j;
                double[] q = band == null ? null : predicted.get(i).intervals().quantiles()[j];
                points.add(new ForecastPoint(i, j + 1, time(test, i, h) + j, actual[j], predicted.get(i).valuesAt(0)[j],
                        naive[k] + actual[j], seasonal == null ? Double.NaN : seasonal[k] + actual[j],
                        q == null ? Double.NaN : q[band[0]], q == null ? Double.NaN : q[band[1]]));
            }
        }
        return points;
    }

    /** Where window i's first target lies: its index in the series, else (windows not cut from one) i·h. */
    private static int time(SequenceSet set, int i, int h) {
        return set.hasOrigins() ? set.origin(i) : i * h;
    }

    /**
     * The forecast plot and, beside it, {@code forecast.csv} with the points drawn. Each window's forecasts are
     * a line of their own (a gap between windows), the actual series one line.
     */
    private static void forecast(ExperimentConfig config, Predictor predictor, PreparedData data, Path dir) {
        SequenceSet all = data.split().test();
        SplitData.Forecast f = data.split().forecast();
        // streamed: only the last windows, which are all the plot can show (forecastPoints), are cut and predicted
        int from = all.streamed() ? Math.max(0, all.size() - FORECAST_STEPS - all.targetWidth()) : 0;
        SequenceSet test = from == 0 ? all : all.subset(java.util.stream.IntStream.range(from, all.size()).toArray());
        List<Predictor.Answer> predicted = Evaluator.answers(predictor, test, f);
        List<ForecastPoint> points = forecastPoints(test, predicted, f).stream().map(p -> p.after(from)).toList();
        int[] band = widest(predicted);
        StringBuilder csv = new StringBuilder("window,step,time,actual,rnnkit,naive,seasonal_naive" + (band == null ? "" : ",lower,upper") + "\n");
        int n = points.size();
        List<Double> x = new ArrayList<>();
        List<double[]> lines = new ArrayList<>(); // actual, rnnkit, naive, seasonal naive; NaN breaks a line
        for (int k = 0; k < n; k++) {
            ForecastPoint p = points.get(k);
            csv.append(p.window() + 1).append(',').append(p.step()).append(',').append(p.time()).append(',').append(p.actual())
                    .append(',').append(p.model()).append(',').append(p.naive()).append(',')
                    .append(Double.isNaN(p.seasonalNaive()) ? "" : String.valueOf(p.seasonalNaive()))
                    .append(band == null ? "" : "," + p.lower() + "," + p.upper()).append('\n');
            if (k > 0 && p.step() == 1 && test.targetWidth() > 1) { // one-step forecasts of consecutive windows are one line
                x.add((double) p.time());
                lines.add(new double[]{p.actual(), Double.NaN, Double.NaN, Double.NaN});
            }
            x.add((double) p.time());
            lines.add(new double[]{p.actual(), p.model(), p.naive(), p.seasonalNaive()});
        }
        io.rnnkit.AtomicFiles.write(dir.resolve("forecast.csv"), csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        double[] xs = x.stream().mapToDouble(Double::doubleValue).toArray();
        String what = config.data().series().target() == null ? "value" : config.data().series().target();
        int h = test.targetWidth();
        int windows = (int) points.stream().filter(p -> p.step() == 1).count();
        Chart chart = new Chart(config.name() + ": " + (h == 1 ? "one step ahead" : h + " steps ahead") + ", last " + windows
                + " test window" + (windows == 1 ? "" : "s"), "time step of the series", what)
                .add(new Chart.Series("actual", xs, column(lines, 0)))
                .add(new Chart.Series(band == null ? "rnnkit forecast" : "rnnkit, " + predicted.get(0).intervals().coverageName(band) + " % shaded", xs, column(lines, 1)))
                .add(new Chart.Series("naive (last value)", xs, column(lines, 2), true));
        if (f.seasonalPeriod() > 1) {
            chart.add(new Chart.Series("seasonal naive (m = " + f.seasonalPeriod() + ")", xs, column(lines, 3), true));
        }
        if (band != null) {
            // one region over the windows shown (they follow each other without overlap), in the forecast's colour
            chart.band(points.stream().mapToDouble(ForecastPoint::time).toArray(), points.stream().mapToDouble(ForecastPoint::lower).toArray(),
                    points.stream().mapToDouble(ForecastPoint::upper).toArray(), 1);
        }
        chart.write(dir.resolve("forecast.png"));
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static double[] values(List<EpochRecord> history, String key) {
        List<Double> out = new ArrayList<>();
        history.forEach(r -> out.add(r.validation().getOrDefault(key, Double.NaN)));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
