package io.rnnkit.eval;

import io.rnnkit.config.Task;
import io.rnnkit.data.DelayedPairs;
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
        List<Predictor.Answer> answers = answers(predictor, raw, forecast);
        if (raw.isClassification()) {
            return classification(answers, raw);
        }
        return regression(answers, trainingScaleTargets(predictor, prepared, raw), raw, forecast);
    }

    /**
     * The metrics of the named split of {@code data}: of its tensors, or for streamed data shard by shard (answers at every
     * step: {@link #chunk}); a classifier's confusion matrix and cross-entropy summed over them in the split's order (the
     * in-memory figures exactly), a regressor's mean errors and loss weighted by what each shard scored (equal to one pass
     * over the whole split up to float rounding).
     */
    public static SplitMetrics evaluate(Predictor predictor, PreparedData data, String name) {
        SequenceSet raw = data.set(name);
        if (!data.streamed()) {
            return evaluate(predictor, data.split(name), raw, data.split().forecast());
        }
        int chunk = chunk(data.shardSize(), raw, data.split().outputs());
        if (raw.isClassification()) {
            // one sum over the split in its order, as in memory: the same figures to the last bit, however it is cut
            Classification sums = new Classification();
            for (int from = 0; from < raw.size(); from += chunk) {
                SequenceSet part = raw.subset(java.util.stream.IntStream.range(from, Math.min(raw.size(), from + chunk)).toArray());
                sums.add(answers(predictor, part), part);
            }
            return sums.metrics();
        }
        double[] sums = new double[3]; // loss, absolute error, squared error, each times what was scored
        long scored = 0;
        for (int from = 0; from < raw.size(); from += chunk) {
            int[] indices = java.util.stream.IntStream.range(from, Math.min(raw.size(), from + chunk)).toArray();
            SequenceSet part = raw.subset(indices);
            SplitMetrics m = evaluate(predictor, data.tensors(part), part, null);
            long n = (long) part.size() * part.targetWidth();
            sums[1] += m.get("mae") * n;
            sums[2] += m.get("rmse") * m.get("rmse") * n;
            sums[0] += m.get("loss") * n;
            scored += n;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("mae", sums[1] / scored);
        values.put("rmse", Math.sqrt(sums[2] / scored));
        values.put("loss", sums[0] / scored);
        return new SplitMetrics(values, null);
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
     * Per-sequence labels are scored once per sequence; per-step labels at every real step of every
     * sequence (padding ignored), so accuracy, F1 and the loss are per step.
     */
    static SplitMetrics classification(List<Predictor.Answer> answers, SequenceSet raw) {
        Classification sums = new Classification();
        sums.add(answers, raw);
        return sums.metrics();
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

    /** The confusion matrix and the summed cross-entropy of classification answers, added a part of a split at a time. */
    private static final class Classification {
        private int[][] confusion;
        private double logLoss;
        private long scored;

        void add(List<Predictor.Answer> answers, SequenceSet raw) {
            if (raw.size() == 0) {
                return;
            }
            int k = answers.get(0).network()[0].length;
            confusion = confusion == null ? new int[k][k] : confusion;
            for (int i = 0; i < raw.size(); i++) {
                for (int t = 0; t < stepsScored(raw, i); t++) {
                    int truth = raw.classAt(i, t);
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

        SplitMetrics metrics() {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("accuracy", accuracy(confusion));
            values.put("f1", macroF1(confusion));
            values.put("loss", logLoss / scored);
            return new SplitMetrics(values, confusion);
        }
    }

    /** Labels scored for sequence i: its real length for per-step labels, else one. */
    private static int stepsScored(SequenceSet raw, int i) {
        return raw.perStep() ? raw.sequence(i).length : 1;
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

    static SplitMetrics regression(List<Predictor.Answer> answers, Targets normalizedLabels, SequenceSet raw,
                                           SplitData.Forecast forecast) {
        int h = raw.targetWidth();
        List<Double> errors = new ArrayList<>();
        double squares = 0;
        for (int i = 0; i < raw.size(); i++) {
            for (int t = 0; t < stepsScored(raw, i); t++) {
                for (int j = 0; j < h; j++) {
                    errors.add(answers.get(i).valuesAt(t)[j] - raw.targetAt(i, t)[j]);
                    double d = answers.get(i).network()[t][j] - normalizedLabels.at(i, j, t);
                    squares += d * d;
                }
            }
        }
        double[] e = errors.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("mae", mae(e));
        values.put("rmse", rmse(e));
        values.put("loss", squares / e.length);
        if (forecast == null) {
            return new SplitMetrics(values, null);
        }
        if (answers.get(0).intervals() != null) {
            putIntervals(values, answers, raw);
        }
        // forecast windows: one target vector per window, so errors[i·h + j] is window i, step j + 1 ahead
        double[] actual = new double[e.length];
        for (int i = 0, k = 0; i < raw.size(); i++) {
            for (int j = 0; j < h; j++) {
                actual[k++] = raw.target(i)[j];
            }
        }
        Map<String, double[]> methods = new LinkedHashMap<>();
        methods.put("", e);
        methods.put("naive_", baselineErrors(raw, forecast, 1));
        if (forecast.seasonalPeriod() > 1) {
            methods.put("seasonal_naive_", baselineErrors(raw, forecast, forecast.seasonalPeriod()));
        }
        // many series: each window's series, for MASE per series (whose mean over the series is the split's MASE)
        SplitData.Panel panel = forecast.panel() != null && raw.hasOrigins() ? forecast.panel() : null;
        int[] seriesOf = null;
        if (panel != null) {
            seriesOf = new int[raw.size()];
            for (int i = 0; i < raw.size(); i++) {
                seriesOf[i] = panel.seriesOf(raw.origin(i));
            }
        }
        Scaling scaling = new Scaling(forecast, seriesOf);
        Map<String, String> undefined = new LinkedHashMap<>();
        methods.forEach((prefix, errs) -> {
            if (!prefix.isEmpty()) {
                values.put(prefix + "mae", mae(errs));
                values.put(prefix + "rmse", rmse(errs));
            }
            putScaled(values, undefined, prefix, errs, actual, scaling, h, true);
        });
        List<SplitMetrics.Horizon> horizons = new ArrayList<>();
        for (int j = 0; h > 1 && j < h; j++) {
            Map<String, Double> step = new LinkedHashMap<>();
            Map<String, String> stepUndefined = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> m : methods.entrySet()) {
                double[] at = everyHth(m.getValue(), h, j);
                step.put(m.getKey() + "mae", mae(at));
                step.put(m.getKey() + "rmse", rmse(at));
                putScaled(step, stepUndefined, m.getKey(), at, null, scaling, 1, false);
            }
            horizons.add(new SplitMetrics.Horizon(j + 1, step, stepUndefined));
        }
        List<SplitMetrics.Series> series = panel == null ? List.of() : perSeries(panel, seriesOf, methods, actual, h);
        return new SplitMetrics(values, null, undefined, horizons, series);
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

    /** Each series' figures over its own windows: MAE, RMSE, MASE (its own scale) and sMAPE of the model and the baselines. */
    private static List<SplitMetrics.Series> perSeries(SplitData.Panel panel, int[] seriesOf, Map<String, double[]> methods,
                                                       double[] actual, int h) {
        List<List<Integer>> windows = new ArrayList<>();
        panel.ids().forEach(id -> windows.add(new ArrayList<>()));
        for (int i = 0; i < seriesOf.length; i++) {
            windows.get(seriesOf[i]).add(i);
        }
        List<SplitMetrics.Series> out = new ArrayList<>();
        for (int k = 0; k < panel.size(); k++) {
            List<Integer> mine = windows.get(k);
            if (mine.isEmpty()) {
                continue;
            }
            double[] truth = pick(actual, mine, h);
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> m : methods.entrySet()) {
                double[] errs = pick(m.getValue(), mine, h);
                values.put(m.getKey() + "mae", mae(errs));
                values.put(m.getKey() + "rmse", rmse(errs));
                values.put(m.getKey() + "mase", panel.scales()[k] > 0 ? mae(errs) / panel.scales()[k] : Double.NaN);
                values.put(m.getKey() + "smape", smape(errs, truth));
            }
            out.add(new SplitMetrics.Series(panel.ids().get(k), mine.size(), values));
        }
        return out;
    }

    /** The {@code h} values of each of the windows {@code windows} from values laid out {@code h} to a window. */
    private static double[] pick(double[] values, List<Integer> windows, int h) {
        double[] out = new double[windows.size() * h];
        for (int w = 0; w < windows.size(); w++) {
            System.arraycopy(values, windows.get(w) * h, out, w * h, h);
        }
        return out;
    }

    /**
     * MASE, and with {@code percentages} MAPE and sMAPE, under {@code prefix}; a metric the data leaves undefined
     * goes to {@code undefined} with the reason instead of into {@code values} as a NaN or an infinity.
     *
     * @param width errors per window in {@code errors}
     */
    private static void putScaled(Map<String, Double> values, Map<String, String> undefined, String prefix, double[] errors,
                                  double[] actual, Scaling scaling, int width, boolean percentages) {
        double mase = scaling.mase(errors, width);
        if (!Double.isNaN(mase)) {
            values.put(prefix + "mase", mase);
        } else {
            undefined.put(prefix + "mase", scaling.undefinedReason());
        }
        if (!percentages) {
            return;
        }
        long zeros = java.util.Arrays.stream(actual).filter(y -> y == 0).count();
        if (zeros == 0) {
            values.put(prefix + "mape", mape(errors, actual));
        } else {
            undefined.put(prefix + "mape", "the series holds zeros (" + zeros + " of the " + actual.length + " targets scored are 0)");
        }
        values.put(prefix + "smape", smape(errors, actual));
    }

    /** Elements j, j + h, j + 2h, … of {@code values}: the errors of every window at one step ahead. */
    private static double[] everyHth(double[] values, int h, int j) {
        double[] out = new double[values.length / h];
        for (int k = 0; k < out.length; k++) {
            out[k] = values[k * h + j];
        }
        return out;
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
        boolean fromSeries = forecast.series() != null && raw.hasOrigins();
        double[] errors = new double[n * h];
        for (int i = 0; i < n; i++) {
            double[][] window = raw.sequence(i);
            for (int j = 0; j < h; j++) {
                int ahead = j + 1;
                int back = m * ((ahead + m - 1) / m); // steps from the forecast step back to the observation repeated
                double observed = fromSeries ? forecast.series()[raw.origin(i) + j - back]
                        : window[window.length - 1 + ahead - back][forecast.targetFeature()];
                errors[i * h + j] = observed - raw.target(i)[j];
            }
        }
        return errors;
    }

    /**
     * A probabilistic head's figures over every target of every window: per central interval its empirical coverage
     * ({@code coverage_80}: the share of targets inside it) and mean width; per level the mean pinball loss
     * ({@code pinball_q0.1}); of a Gaussian head with a standard deviation in the data's units, the mean CRPS.
     */
    static void putIntervals(Map<String, Double> values, List<Predictor.Answer> answers, SequenceSet raw) {
        IntervalScores scores = new IntervalScores(answers.get(0).intervals());
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 0; j < raw.targetWidth(); j++) {
                scores.add(raw.target(i)[j], answers.get(i), j);
            }
        }
        scores.putInto(values);
    }

    /** The interval figures of {@link #putIntervals}, summed one target at a time, so any grouping of targets can be scored. */
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
