package io.rnnkit.eval;

import io.rnnkit.config.Task;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.bundle.Predictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of a trained network on one split, computed from the answers of the {@link Predictor} a saved model
 * answers with (not from DL4J's score, which adds the L2 penalty). Classification: accuracy, macro-averaged F1, mean cross-entropy (nats) and the confusion
 * matrix. Regression: MAE and RMSE in the data's own units, and for forecast windows MASE beside the naive
 * ("tomorrow = today") and seasonal-naive baselines on the same windows. A recursive forecaster is scored on
 * the forecasts it makes by feeding its own forecasts back, over the same windows and horizon as a direct one.
 * Windows of many series (docs/architecture.md, "Many series in one file") are also scored series by series, and
 * their MASE is the mean over the series of each one's, by its own scale.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * The metrics of the answers {@code predictor} gives for a split: the answers a saved model gives for the
     * same sequences (docs/architecture.md, "One inference path").
     *
     * @param prepared the split as normalized tensors, whose labels are the targets in the scale the network was
     *                 trained in (what the loss is measured in)
     * @param raw      the same split before normalization: the sequences predicted, and the targets metrics are measured against
     */
    public static SplitMetrics evaluate(Predictor predictor, DataSet prepared, SequenceSet raw, SplitData.Forecast forecast) {
        SplitScores scores = new SplitScores(raw.isClassification() ? null : forecast);
        scores.add(answers(predictor, raw, forecast), raw.isClassification() ? null : trainingScaleTargets(predictor, prepared, raw), raw, 0, raw.size());
        return scores.metrics();
    }

    /**
     * The metrics of the named split of {@code data}: of its tensors, or for streamed data a shard at a time, the figures
     * summed answer by answer in the split's order ({@link SplitScores}), so they are those of the split scored at once.
     */
    public static SplitMetrics evaluate(Predictor predictor, PreparedData data, String name) {
        return evaluate(predictor, data, name, List.of());
    }

    /**
     * {@link #evaluate(Predictor, PreparedData, String)}, with besides each source's figures over its own sequences (text
     * pooled from several files: each file's test lines, which lie one file after another), from the same answers.
     */
    public static SplitMetrics evaluate(Predictor predictor, PreparedData data, String name, List<SplitData.Source> sources) {
        SequenceSet raw = data.set(name);
        SplitData.Forecast forecast = data.split().forecast();
        SplitScores whole = new SplitScores(raw.isClassification() ? null : forecast);
        List<SplitScores> own = sources.stream().map(s -> new SplitScores(null)).toList();
        // a part is a whole number of the predictor's batches (when it holds one): the answers are those of one call over the split
        int chunk = data.streamed() ? chunk(data.shardSize(), raw, data.split().outputs()) : Math.max(1, raw.size());
        int step = chunk >= Predictor.BATCH ? chunk / Predictor.BATCH * Predictor.BATCH : chunk;
        for (int from = 0; from < raw.size(); from += step) {
            int to = Math.min(raw.size(), from + step);
            // streamed: this shard's sequences and tensors; else the split's, scored at once
            SequenceSet part = data.streamed() ? raw.subset(java.util.stream.IntStream.range(from, to).toArray()) : raw;
            int offset = data.streamed() ? from : 0;
            List<Predictor.Answer> answers = answers(predictor, part, forecast);
            Targets labels = raw.isClassification() ? null
                    : trainingScaleTargets(predictor, data.streamed() ? data.tensors(part) : data.split(name), part);
            whole.add(answers, labels, part, from - offset, to - offset);
            for (int k = 0, start = 0; k < sources.size(); start += sources.get(k).testSize(), k++) {
                int a = Math.max(start, from);
                int b = Math.min(start + sources.get(k).testSize(), to);
                own.get(k).add(answers, labels, part, a - offset, b - offset);
            }
        }
        SplitMetrics metrics = whole.metrics();
        if (sources.isEmpty()) {
            return metrics;
        }
        Map<String, SplitMetrics> bySource = new LinkedHashMap<>();
        for (int k = 0; k < sources.size(); k++) {
            bySource.put(sources.get(k).name(), own.get(k).metrics());
        }
        return metrics.withSources(bySource);
    }

    /** The predictor's answers for every sequence of a split, in order (a forecaster's: the split's horizon). */
    public static List<Predictor.Answer> answers(Predictor predictor, SequenceSet raw) {
        return answers(predictor, raw, null);
    }

    /** {@link #answers(Predictor, SequenceSet)} for windows of {@code forecast}'s series: of many series, each named. */
    public static List<Predictor.Answer> answers(Predictor predictor, SequenceSet raw, SplitData.Forecast forecast) {
        boolean panel = forecast != null && forecast.panel() != null && raw.hasOrigins();
        // the set's own list: windows of a series are cut a batch at a time as the predictor asks for them
        return predictor.predict(raw.sequences(), raw.targetWidth(), panel ? forecast.panel().idsOf(raw) : null);
    }

    /**
     * Target j of sequence i at step t in the scale of the network's outputs: the prepared labels, except for a
     * recursive forecaster, whose prepared labels are next-step sequences and whose answers are horizons.
     */
    interface Targets {
        double at(int i, int j, int t);
    }

    private static Targets trainingScaleTargets(Predictor predictor, DataSet prepared, SequenceSet raw) {
        if (predictor.task() instanceof Task.RecursiveForecaster) {
            return (i, j, t) -> predictor.scaler().label(0, raw.target(i)[j]);
        }
        INDArray labels = prepared.getLabels();
        // a probabilistic head's labels repeat each target over its group (PreparedData.grouped)
        int group = (int) (labels.size(1) / raw.targetWidth());
        return (i, j, t) -> at(labels, i, j * group, t);
    }

    /**
     * Sequences of a streamed split predicted at a time: a shard, or for answers at every step fewer, so that the answers
     * (a probability per output and step) take no more than the shard's inputs would.
     */
    static int chunk(int shardSize, SequenceSet raw, int outputs) {
        if (!raw.perStep()) {
            return shardSize;
        }
        int features = Math.max(1, raw.features());
        return (int) Math.max(1, (long) shardSize * features / (features + outputs));
    }

    /** Element (example i, output c, step t) of a 2-d {@code [n, k]} or 3-d {@code [n, k, T]} output. */
    private static double at(INDArray output, int i, int c, int t) {
        return output.rank() == 3 ? output.getDouble(i, c, t) : output.getDouble(i, c);
    }

    static double accuracy(int[][] confusion) {
        long right = 0;
        long all = 0;
        for (int i = 0; i < confusion.length; i++) {
            for (int j = 0; j < confusion.length; j++) {
                all += confusion[i][j];
                right += i == j ? confusion[i][j] : 0;
            }
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** Mean over the classes that occur (as truth or prediction) of 2·precision·recall / (precision + recall). */
    static double macroF1(int[][] confusion) {
        double sum = 0;
        int classes = 0;
        for (SplitMetrics.ClassFigures c : new SplitMetrics(Map.of(), confusion).perClass()) {
            if (!Double.isNaN(c.f1())) {
                classes++;
                sum += c.f1();
            }
        }
        return classes == 0 ? Double.NaN : sum / classes;
    }

    /** The regression figures of a split's answers, scored at once ({@link SplitScores}). */
    static SplitMetrics regression(List<Predictor.Answer> answers, Targets normalizedLabels, SequenceSet raw,
                                   SplitData.Forecast forecast) {
        SplitScores scores = new SplitScores(forecast);
        scores.add(answers, normalizedLabels, raw, 0, raw.size());
        return scores.metrics();
    }

    /**
     * MASE's denominator: one scale for one series; for many, each series' own, the errors of a window divided by
     * its series' scale and MASE averaged over the series (the mean MASE over series of the M competitions).
     *
     * @param seriesOf per window its series, or null for one series
     */
    record Scaling(SplitData.Forecast forecast, int[] seriesOf) {
        /** MASE of errors laid out {@code width} to a window, in window order; NaN when undefined. */
        double mase(double[] errors, int width) {
            if (seriesOf == null) {
                return forecast.scale() > 0 ? mae(errors) / forecast.scale() : Double.NaN;
            }
            double[] scales = forecast.panel().scales();
            double[] sums = new double[scales.length];
            int[] counts = new int[scales.length];
            for (int k = 0; k < errors.length; k++) {
                int s = seriesOf[k / width];
                sums[s] += Math.abs(errors[k]);
                counts[s]++;
            }
            double total = 0;
            int series = 0;
            for (int s = 0; s < scales.length; s++) {
                if (counts[s] > 0 && scales[s] > 0) {
                    total += sums[s] / counts[s] / scales[s];
                    series++;
                }
            }
            return series == 0 ? Double.NaN : total / series;
        }

        String undefinedReason() {
            return seriesOf == null ? "the training part of the series never changes from one season to the next,"
                    + " so MASE's scale (the in-sample seasonal-naive error) is 0"
                    : "the training part of no series changes from one season to the next, so every series' MASE scale is 0";
        }
    }

    /**
     * Errors of the (seasonal) naive forecast on each window: step h ahead of the last observed step T is
     * forecast as y[T + h − m·ceil(h/m)], the latest observation one or more whole seasons back (m = 1: y[T]).
     * Read from the series itself when the windows know where they were cut from it, so the season may be longer
     * than the window; the windowing leaves a full season before every window's first target.
     */
    public static double[] baselineErrors(SequenceSet raw, SplitData.Forecast forecast, int m) {
        int n = raw.size();
        int h = raw.targetWidth();
        boolean fromSeries = forecast.readsSeries() && raw.hasOrigins();
        double[] errors = new double[n * h];
        for (int i = 0; i < n; i++) {
            double[][] window = raw.sequence(i);
            for (int j = 0; j < h; j++) {
                int ahead = j + 1;
                int back = m * ((ahead + m - 1) / m); // steps from the forecast step back to the observation repeated
                double observed = fromSeries ? forecast.seriesAt(raw.origin(i) + j - back)
                        : window[window.length - 1 + ahead - back][forecast.targetFeature()];
                errors[i * h + j] = observed - raw.target(i)[j];
            }
        }
        return errors;
    }

    /**
     * A probabilistic head's figures over targets ({@link SplitScores}, {@link Backtest}): per central interval its empirical
     * coverage ({@code coverage_80}: the share of targets inside it) and mean width; per level the mean pinball loss
     * ({@code pinball_q0.1}); of a Gaussian head with a standard deviation in the data's units, the mean CRPS. Summed one
     * target at a time, so any grouping of targets can be scored.
     */
    static final class IntervalScores {
        private final Predictor.Intervals first;
        private final List<int[]> central;
        private final double[] covered;
        private final double[] widths;
        private final double[] pinball;
        private double crps;
        private long n;

        /** @param first the intervals of any answer scored: their levels and kind are every answer's */
        IntervalScores(Predictor.Intervals first) {
            this.first = first;
            this.central = first.central();
            this.covered = new double[central.size()];
            this.widths = new double[central.size()];
            this.pinball = new double[first.levels().length];
        }

        /** Scores target {@code j} of an answer against its actual value {@code y}. */
        void add(double y, Predictor.Answer answer, int j) {
            Predictor.Intervals in = answer.intervals();
            double[] q = in.quantiles()[j];
            double[] levels = first.levels();
            for (int c = 0; c < central.size(); c++) {
                double lo = q[central.get(c)[0]];
                double hi = q[central.get(c)[1]];
                covered[c] += y >= lo && y <= hi ? 1 : 0;
                widths[c] += hi - lo;
            }
            for (int l = 0; l < levels.length; l++) {
                double u = y - q[l];
                pinball[l] += Math.max(levels[l] * u, (levels[l] - 1) * u);
            }
            if (in.scales() != null) {
                crps += gaussianCrps(y, answer.valuesAt(0)[j], in.scales()[j]);
            }
            n++;
        }

        void putInto(Map<String, Double> values) {
            for (int c = 0; c < central.size(); c++) {
                String name = first.coverageName(central.get(c));
                values.put("coverage_" + name, covered[c] / n);
                values.put("width_" + name, widths[c] / n);
            }
            for (int l = 0; l < pinball.length; l++) {
                values.put("pinball_q" + first.levels()[l], pinball[l] / n);
            }
            if (first.scales() != null) {
                values.put("crps", crps / n);
            }
        }
    }

    private static final org.apache.commons.math3.distribution.NormalDistribution STANDARD_NORMAL =
            new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);

    /** CRPS of N(mu, sigma²) at y, closed form (Gneiting and Raftery 2007): σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ. */
    static double gaussianCrps(double y, double mu, double sigma) {
        double z = (y - mu) / sigma;
        return sigma * (z * (2 * STANDARD_NORMAL.cumulativeProbability(z) - 1) + 2 * STANDARD_NORMAL.density(z) - 1 / Math.sqrt(Math.PI));
    }

    /** Mean absolute percentage error, 100·mean |e/y| (undefined where y = 0: the caller reports it so). */
    static double mape(double[] errors, double[] actual) {
        double s = 0;
        for (int i = 0; i < errors.length; i++) {
            s += Math.abs(errors[i] / actual[i]);
        }
        return 100 * s / errors.length;
    }

    /** Symmetric MAPE, 100·mean 2|e| / (|y| + |ŷ|) with ŷ = y + e; terms with y = ŷ = 0 count as 0. */
    static double smape(double[] errors, double[] actual) {
        double s = 0;
        for (int i = 0; i < errors.length; i++) {
            double denominator = Math.abs(actual[i]) + Math.abs(actual[i] + errors[i]);
            s += denominator == 0 ? 0 : 2 * Math.abs(errors[i]) / denominator;
        }
        return 100 * s / errors.length;
    }

    static double mae(double[] errors) {
        double s = 0;
        for (double e : errors) {
            s += Math.abs(e);
        }
        return s / errors.length;
    }

    static double rmse(double[] errors) {
        double s = 0;
        for (double e : errors) {
            s += e * e;
        }
        return Math.sqrt(s / errors.length);
    }
}
