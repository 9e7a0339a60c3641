package io.rnnkit.eval;

import io.rnnkit.bundle.Predictor;
import io.rnnkit.data.DelayedPairs;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of {@link Evaluator} for one split, summed one answer at a time in the split's order, so that a split scored
 * batch by batch (streamed data: a shard at a time) gives the very numbers of the split scored at once: every mean is a sum
 * taken in the same order, then divided. Classification: the confusion matrix and the log loss. Regression: MAE, RMSE and
 * the loss; for forecast windows, besides, the naive and seasonal-naive baselines, MASE (one scale, or each series' for
 * many), MAPE and sMAPE, the same per horizon step and per series.
 */
final class SplitScores {
    private final SplitData.Forecast forecast;
    private final SplitData.Panel panel;
    private int[][] confusion;
    private double logLoss;
    private long scored;
    private double squares;
    private Evaluator.IntervalScores intervals;
    /** Per method (model, naive, seasonal naive): its errors summed over the split. */
    private Sums[] total;
    /** Per method and horizon step. */
    private Sums[][] byStep;
    /** Per method and series (many series only). */
    private Sums[][] bySeries;
    /** Per method, horizon step and series: MASE per step of many series. */
    private Sums[][][] byStepAndSeries;
    private int[] windowsOfSeries;
    private long zeros;
    private int width;

    /** Sums of a method's errors e against the actual values y, each taken in the order the errors come. */
    private static final class Sums {
        double absolute;
        double squared;
        double percent;
        double symmetric;
        long n;

        void add(double e, double y) {
            absolute += Math.abs(e);
            squared += e * e;
            percent += Math.abs(e / y);
            double denominator = Math.abs(y) + Math.abs(y + e);
            symmetric += denominator == 0 ? 0 : 2 * Math.abs(e) / denominator;
            n++;
        }

        double mae() {
            return absolute / n;
        }

        double rmse() {
            return Math.sqrt(squared / n);
        }
    }

    /** @param forecast the windows' forecast (baselines and MASE), or null for other sequences */
    SplitScores(SplitData.Forecast forecast) {
        this.forecast = forecast;
        this.panel = forecast == null ? null : forecast.panel();
    }

    /**
     * Scores sequences {@code [from, to)} of {@code raw}, whose answers and training-scale targets are indexed like it.
     */
    void add(List<Predictor.Answer> answers, Evaluator.Targets labels, SequenceSet raw, int from, int to) {
        if (from >= to) {
            return;
        }
        if (raw.isClassification()) {
            classify(answers, raw, from, to);
        } else {
            regress(answers, labels, raw, from, to);
        }
    }

    private void classify(List<Predictor.Answer> answers, SequenceSet raw, int from, int to) {
        int k = answers.get(from).network()[0].length;
        confusion = confusion == null ? new int[k][k] : confusion;
        for (int i = from; i < to; i++) {
            int[] classes = raw.classesOf(i); // one a step scored (a streamed set reads them on each call)
            for (int t = 0; t < classes.length; t++) {
                int truth = classes[t];
                if (truth == DelayedPairs.NO_LABEL) {
                    continue; // a sequence-to-sequence source step: nothing to predict there
                }
                float[] probabilities = answers.get(i).network()[t];
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (probabilities[c] > probabilities[best]) {
                        best = c;
                    }
                }
                confusion[truth][best]++;
                logLoss -= Math.log(Math.max(probabilities[truth], 1e-12));
                scored++;
            }
        }
    }


    private void regress(List<Predictor.Answer> answers, Evaluator.Targets labels, SequenceSet raw, int from, int to) {
        int h = raw.targetWidth();
        boolean forecasts = forecast != null;
        if (total == null) {
            width = h;
            int methods = !forecasts ? 1 : forecast.seasonalPeriod() > 1 ? 3 : 2;
            total = newSums(methods);
            byStep = new Sums[methods][];
            for (int m = 0; m < methods; m++) {
                byStep[m] = newSums(h);
            }
            if (panel != null && raw.hasOrigins()) {
                bySeries = new Sums[methods][];
                byStepAndSeries = new Sums[methods][h][];
                for (int m = 0; m < methods; m++) {
                    bySeries[m] = newSums(panel.size());
                    for (int j = 0; j < h; j++) {
                        byStepAndSeries[m][j] = newSums(panel.size());
                    }
                }
                windowsOfSeries = new int[panel.size()];
            }
            if (forecasts && answers.get(from).intervals() != null) {
                intervals = new Evaluator.IntervalScores(answers.get(from).intervals());
            }
        }
        // the baselines of these windows: errors[(i − from)·h + j]
        SequenceSet windows = forecasts ? raw.subset(java.util.stream.IntStream.range(from, to).toArray()) : null;
        double[][] baselines = !forecasts ? new double[0][] : forecast.seasonalPeriod() > 1
                ? new double[][]{Evaluator.baselineErrors(windows, forecast, 1), Evaluator.baselineErrors(windows, forecast, forecast.seasonalPeriod())}
                : new double[][]{Evaluator.baselineErrors(windows, forecast, 1)};
        for (int i = from; i < to; i++) {
            int series = bySeries == null ? -1 : panel.seriesOf(raw.origin(i));
            if (series >= 0) {
                windowsOfSeries[series]++;
            }
            double[][] targets = raw.targetsOf(i); // one a step scored (a window's computed on each call)
            for (int t = 0; t < targets.length; t++) {
                for (int j = 0; j < h; j++) {
                    double y = targets[t][j];
                    double e = answers.get(i).valuesAt(t)[j] - y;
                    double d = answers.get(i).network()[t][j] - labels.at(i, j, t);
                    squares += d * d;
                    if (!forecasts) {
                        total[0].add(e, y);
                        continue;
                    }
                    zeros += y == 0 ? 1 : 0;
                    if (intervals != null) {
                        intervals.add(y, answers.get(i), j);
                    }
                    for (int m = 0; m < total.length; m++) {
                        double error = m == 0 ? e : baselines[m - 1][(i - from) * h + j];
                        total[m].add(error, y);
                        byStep[m][j].add(error, y);
                        if (series >= 0) {
                            bySeries[m][series].add(error, y);
                            byStepAndSeries[m][j][series].add(error, y);
                        }
                    }
                }
            }
        }
    }

    private static Sums[] newSums(int n) {
        Sums[] out = new Sums[n];
        for (int k = 0; k < n; k++) {
            out[k] = new Sums();
        }
        return out;
    }

    /** The split's figures, in the order {@code metrics.json} lists them. */
    SplitMetrics metrics() {
        Map<String, Double> values = new LinkedHashMap<>();
        if (confusion != null) {
            values.put("accuracy", Evaluator.accuracy(confusion));
            values.put("f1", Evaluator.macroF1(confusion));
            values.put("loss", logLoss / scored);
            return new SplitMetrics(values, confusion);
        }
        values.put("mae", total[0].mae());
        values.put("rmse", total[0].rmse());
        values.put("loss", squares / total[0].n);
        if (forecast == null) {
            return new SplitMetrics(values, null);
        }
        if (intervals != null) {
            intervals.putInto(values);
        }
        String[] prefixes = {"", "naive_", "seasonal_naive_"};
        Map<String, String> undefined = new LinkedHashMap<>();
        for (int m = 0; m < total.length; m++) {
            if (m > 0) {
                values.put(prefixes[m] + "mae", total[m].mae());
                values.put(prefixes[m] + "rmse", total[m].rmse());
            }
            putMase(values, undefined, prefixes[m], total[m], bySeries == null ? null : bySeries[m]);
            if (zeros == 0) {
                values.put(prefixes[m] + "mape", 100 * total[m].percent / total[m].n);
            } else {
                undefined.put(prefixes[m] + "mape", "the series holds zeros (" + zeros + " of the " + total[m].n + " targets scored are 0)");
            }
            values.put(prefixes[m] + "smape", 100 * total[m].symmetric / total[m].n);
        }
        List<SplitMetrics.Horizon> horizons = new ArrayList<>();
        for (int j = 0; width > 1 && j < width; j++) {
            Map<String, Double> step = new LinkedHashMap<>();
            Map<String, String> stepUndefined = new LinkedHashMap<>();
            for (int m = 0; m < total.length; m++) {
                step.put(prefixes[m] + "mae", byStep[m][j].mae());
                step.put(prefixes[m] + "rmse", byStep[m][j].rmse());
                putMase(step, stepUndefined, prefixes[m], byStep[m][j], byStepAndSeries == null ? null : byStepAndSeries[m][j]);
            }
            horizons.add(new SplitMetrics.Horizon(j + 1, step, stepUndefined));
        }
        return new SplitMetrics(values, null, undefined, horizons, perSeries(prefixes));
    }

    /**
     * MASE: for one series the MAE by its scale; for many, each series' MAE by its own scale, averaged over the series (the
     * mean MASE over series of the M competitions); undefined, with the reason, when no scale is above 0.
     */
    private void putMase(Map<String, Double> values, Map<String, String> undefined, String prefix, Sums all, Sums[] perSeries) {
        double mase;
        if (perSeries == null) {
            mase = forecast.scale() > 0 ? all.mae() / forecast.scale() : Double.NaN;
        } else {
            double sum = 0;
            int series = 0;
            for (int s = 0; s < perSeries.length; s++) {
                if (perSeries[s].n > 0 && panel.scales()[s] > 0) {
                    sum += perSeries[s].absolute / perSeries[s].n / panel.scales()[s];
                    series++;
                }
            }
            mase = series == 0 ? Double.NaN : sum / series;
        }
        if (!Double.isNaN(mase)) {
            values.put(prefix + "mase", mase);
        } else {
            undefined.put(prefix + "mase", new Evaluator.Scaling(forecast, perSeries == null ? null : new int[0]).undefinedReason());
        }
    }

    /** Each series' figures over its own windows: MAE, RMSE, MASE (its own scale) and sMAPE of the model and the baselines. */
    private List<SplitMetrics.Series> perSeries(String[] prefixes) {
        if (bySeries == null) {
            return List.of();
        }
        List<SplitMetrics.Series> out = new ArrayList<>();
        for (int k = 0; k < panel.size(); k++) {
            if (windowsOfSeries[k] == 0) {
                continue;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (int m = 0; m < total.length; m++) {
                Sums s = bySeries[m][k];
                values.put(prefixes[m] + "mae", s.mae());
                values.put(prefixes[m] + "rmse", s.rmse());
                values.put(prefixes[m] + "mase", panel.scales()[k] > 0 ? s.mae() / panel.scales()[k] : Double.NaN);
                values.put(prefixes[m] + "smape", 100 * s.symmetric / s.n);
            }
            out.add(new SplitMetrics.Series(panel.ids().get(k), windowsOfSeries[k], values));
        }
        return out;
    }
}
