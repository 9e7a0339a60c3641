package io.rnnkit.bundle;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.HeadConfig;
import io.rnnkit.config.HeadKind;
import io.rnnkit.config.Task;
import io.rnnkit.config.WindowReference;
import io.rnnkit.data.ForecastWindowing;
import io.rnnkit.data.PanelSeries;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.Scaler;
import io.rnnkit.data.SplitData;
import io.rnnkit.data.Tensors;
import io.rnnkit.nn.FusedInference;
import io.rnnkit.nn.RecursiveForecaster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one inference path (docs/architecture.md, "One inference path"): sequences in the data's units in, the
 * network's answers out, both as the network gives them and in the data's units. The evaluator computes a
 * run's metrics from these answers and a loaded model ({@link RnnModel}) returns them, so the figures
 * in {@code metrics.json} are those of the saved model's outputs by construction. What differs between tasks
 * is asked of the {@link Task}: whether the network answers at every step (then every real step of each
 * sequence is read, padding never), whether windows are measured against their last observation, whether a
 * forecaster feeds its forecasts back.
 */
public final class Predictor {
    /**
     * Sequences per network call: large enough to amortise a call, small enough to bound memory. A caller that predicts a
     * split in parts of a multiple of it gets the very batches, so the very answers, of one call over the split.
     */
    public static final int BATCH = 256;

    /**
     * Lends a network for one call, with its inference ({@link FusedInference}, which keeps arrays between calls):
     * the evaluator its one network, a loaded model one of its replicas.
     */
    public interface Networks {
        <T> T use(Function<FusedInference, T> work);
    }

    private final Task task;
    private final Scaler scaler;
    private final int features;
    private final int targetFeature;
    /** The networks answering, each lent by its own {@link Networks}: one, or an ensemble's members ({@link Ensemble}). */
    private final List<Networks> members;
    /** A model of many series with a per-series normalizer: each series' scaling; else null (one {@link #scaler}). */
    private final PanelSeries panel;
    /** What the network gives per target: one value, or a distribution's group of outputs ({@code model.head}). */
    private final HeadConfig head;
    /** Features measured against a relative window's last observation (the rest are covariates). */
    private final int referenced;

    /**
     * @param features      values per step of the input sequences
     * @param targetFeature a forecaster's target column among the features (its forecasts are levels of it); else ignored
     */
    public Predictor(Task task, Scaler scaler, int features, int targetFeature, Networks networks) {
        this(task, scaler, features, targetFeature, networks, null);
    }

    /** @param panel the series of a model of many series, whose scalers (per series) replace {@code scaler}; null for others */
    public Predictor(Task task, Scaler scaler, int features, int targetFeature, Networks networks, PanelSeries panel) {
        this(task, scaler, features, targetFeature, List.of(networks), panel, features);
    }

    /**
     * @param members    the networks of an ensemble's members, whose outputs {@link Ensemble#combine} combines; one for a single network
     * @param referenced the features a relative window ({@code data.window.reference}) measures against its last
     *                   observation: the past-only values, before a forecaster's covariates
     */
    public Predictor(Task task, Scaler scaler, int features, int targetFeature, List<Networks> members, PanelSeries panel, int referenced) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a predictor needs a network");
        }
        this.referenced = referenced;
        this.task = task;
        this.scaler = scaler;
        this.features = features;
        this.targetFeature = targetFeature;
        this.members = List.copyOf(members);
        this.panel = panel != null && panel.perSeries() ? panel : null;
        this.head = task.head();
    }

    /**
     * A predictor on one network, for a caller that does not share it between threads (evaluation), with the task
     * of {@code config} and the normalizer fitted on {@code split}'s training part (null: none).
     */
    public static Predictor on(MultiLayerNetwork net, ExperimentConfig config, DataNormalization normalizer, SplitData split) {
        return on(net, config, normalizer, null, split);
    }

    /** {@link #on(MultiLayerNetwork, ExperimentConfig, DataNormalization, SplitData)} with the series of a model of many series. */
    public static Predictor on(MultiLayerNetwork net, ExperimentConfig config, DataNormalization normalizer, PanelSeries panel, SplitData split) {
        return on(List.of(net), config, normalizer, panel, split);
    }

    /** {@link #on(MultiLayerNetwork, ExperimentConfig, DataNormalization, PanelSeries, SplitData)} of an ensemble's networks. */
    public static Predictor on(List<MultiLayerNetwork> nets, ExperimentConfig config, DataNormalization normalizer, PanelSeries panel,
                               SplitData split) {
        int target = split.forecast() == null ? 0 : split.forecast().targetFeature();
        int referenced = split.forecast() == null ? split.features() : split.forecast().referenced(split.features());
        List<Networks> members = nets.stream().map(Predictor::alone).toList();
        return new Predictor(Task.of(config), Scaler.of(normalizer), split.features(), target, members, panel, referenced);
    }

    /** One network lent as it is, to a caller that does not share it between threads. */
    private static Networks alone(MultiLayerNetwork net) {
        FusedInference inference = FusedInference.of(net);
        return new Networks() {
            @Override
            public <T> T use(Function<FusedInference, T> work) {
                return work.apply(inference);
            }
        };
    }

    /** How many networks answer: 1, or an ensemble's members. */
    public int members() {
        return members.size();
    }

    /** The predictor of a run's network on its prepared data (its normalizer, or its series' own scalers). */
    public static Predictor on(MultiLayerNetwork net, ExperimentConfig config, PreparedData data) {
        return on(net, config, data.normalizer(), data.panel(), data.split());
    }

    /** Whether each sequence's series must be named ({@link #predict(List, int, List)}): its scaling is its series' own. */
    public boolean scalesPerSeries() {
        return panel != null;
    }

    public Task task() {
        return task;
    }

    /** The scaling of inputs and outputs fitted in training. */
    public Scaler scaler() {
        return scaler;
    }

    /**
     * The answer for one input: rows of outputs, one per real step of the sequence when the network answers at
     * every step, else one ({@code horizon} values for a forecaster).
     *
     * @param network   the network's outputs as it gives them: class probabilities, or values in the scale it was
     *                  trained in (what its loss is measured in); of a probabilistic head, its point forecasts
     * @param values    regression outputs in the data's units (scaled back and, for relative windows, turned back
     *                  into levels); null for classification, whose outputs are already probabilities
     * @param intervals a probabilistic head's quantiles of its one row, in the data's units; null for other heads
     */
    public record Answer(float[][] network, double[][] values, Intervals intervals) {
        public Answer(float[][] network, double[][] values) {
            this(network, values, null);
        }

        /** Row {@code t} in the data's units: values, or class probabilities widened to double. */
        public double[] valuesAt(int t) {
            if (values != null) {
                return values[t];
            }
            double[] out = new double[network[t].length];
            for (int k = 0; k < out.length; k++) {
                out[k] = network[t][k];
            }
            return out;
        }

        public int steps() {
            return network.length;
        }
    }

    /**
     * A probabilistic head's forecast distribution per target of a window, in the data's units: each quantile goes
     * through the same map as the point values (scaled back, then turned back into a level), which keeps quantiles
     * quantiles because the map increases.
     *
     * @param levels    the quantile levels ({@code model.head.levels})
     * @param quantiles per target, its quantile at each level
     * @param scales    a Gaussian head's standard deviation per target in the data's units when the map is affine
     *                  (windows measured absolutely or as differences); null for a quantile head or log-ratio windows
     */
    public record Intervals(double[] levels, double[][] quantiles, double[] scales) {
        /** The central intervals the levels declare: pairs (p, 1 − p) with {@code p < 0.5}, as indices {@code {lower, upper}} into the levels. */
        public List<int[]> central() {
            List<int[]> out = new ArrayList<>();
            for (int lo = 0; lo < levels.length && levels[lo] < 0.5; lo++) {
                for (int hi = levels.length - 1; hi > lo; hi--) {
                    if (Math.abs(levels[hi] - (1 - levels[lo])) < 1e-9) {
                        out.add(new int[]{lo, hi});
                    }
                }
            }
            return out;
        }

        /** "80" for the interval between levels 0.1 and 0.9. */
        public String coverageName(int[] interval) {
            double percent = Math.round((levels[interval[1]] - levels[interval[0]]) * 1000) / 10.0;
            return percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
        }
    }

    /**
     * The answers for sequences {@code [time][feature]} in the data's units, checked by the caller, in order.
     *
     * @param horizon a recursive forecaster's steps to forecast; ignored by other tasks
     */
    public List<Answer> predict(List<double[][]> sequences, int horizon) {
        return predict(sequences, horizon, null);
    }

    /**
     * {@link #predict(List, int)} for sequences of named series: with a per-series normalizer, each sequence scaled by
     * its series' statistics and its answers scaled back by them.
     *
     * @param ids per sequence, its series' values of the id columns; may be null unless {@link #scalesPerSeries()}
     * @throws ModelInputException for a series the model was not trained on (it has no statistics for it)
     */
    public List<Answer> predict(List<double[][]> sequences, int horizon, List<List<String>> ids) {
        List<Scaler> scalers = scalersOf(sequences, ids);
        if (task instanceof Task.RecursiveForecaster) {
            if (scalers != null) {
                throw new IllegalStateException("per-series scaling of a recursive forecaster (refused by the config rules)");
            }
            return recursive(sequences, horizon);
        }
        WindowReference reference = task.windowReference();
        List<double[][]> seen = reference == WindowReference.NONE ? sequences
                : ForecastWindowing.relativeView(sequences, reference, referenced);
        boolean everyStep = task.networkAnswersEveryStep();
        List<Answer> out = new ArrayList<>(sequences.size());
        for (int from = 0; from < seen.size(); from += BATCH) {
            List<double[][]> chunk = seen.subList(from, Math.min(seen.size(), from + BATCH));
            int first = from;
            Tensors.Features x = Tensors.features(chunk, features, i -> scalerOf(scalers, first + i));
            List<INDArray> outputs = new ArrayList<>(members.size());
            for (Networks member : members) {
                // the network's output, its layers left holding no input or mask (FusedInference)
                outputs.add(member.use(inference -> inference.output(x.values(), x.mask())));
            }
            INDArray output = Ensemble.combine(task, outputs);
            for (int i = 0; i < chunk.size(); i++) {
                float[][] rows = everyStep ? steps(output, i, chunk.get(i).length) : new float[][]{row(output, i)};
                double last = reference == WindowReference.NONE ? 0 : lastObservation(sequences.get(from + i));
                Scaler own = scalerOf(scalers, from + i);
                if (head.probabilistic()) {
                    float[] points = points(rows[0]);
                    out.add(new Answer(new float[][]{points}, values(new float[][]{points}, last, reference, own),
                            intervals(rows[0], points.length, last, reference, own)));
                } else {
                    out.add(new Answer(rows, task.isClassification() ? null : values(rows, last, reference, own)));
                }
            }
        }
        return out;
    }

    /**
     * The one-step forecast of the target at every step of a series {@code [time][feature]} in the data's units, from
     * the {@code lookback} steps before it, and its error {@code y_t − ŷ_t}: what an anomaly detector scores. Steps
     * without a whole window before them, or whose window or value holds a NaN (a missing value left unfilled), get NaN.
     */
    public double[][] forecastErrors(double[][] series, int lookback) {
        return forecastErrors(series.length, t -> series[t], lookback);
    }

    /**
     * {@link #forecastErrors(double[][], int)} of a series of {@code length} steps whose step t is {@code step.apply(t)}:
     * each window is cut when its batch is predicted, so besides the forecasts and errors only the scored steps (an int each)
     * are held.
     */
    public double[][] forecastErrors(int length, java.util.function.IntFunction<double[]> step, int lookback) {
        int[] scored = new int[Math.max(0, length - lookback)];
        int count = 0;
        int lastNaN = -1; // the last step holding a NaN: a window from after it is whole
        for (int t = 0; t < length; t++) {
            double[] values = step.apply(t);
            if (t >= lookback && lastNaN < t - lookback && !Double.isNaN(values[targetFeature])) {
                scored[count++] = t;
            }
            if (java.util.Arrays.stream(values).anyMatch(Double::isNaN)) {
                lastNaN = t;
            }
        }
        int[] steps = java.util.Arrays.copyOf(scored, count);
        List<double[][]> windows = new java.util.AbstractList<>() {
            @Override
            public double[][] get(int i) {
                double[][] window = new double[lookback][];
                for (int k = 0; k < lookback; k++) {
                    window[k] = step.apply(steps[i] - lookback + k);
                }
                return window;
            }

            @Override
            public int size() {
                return steps.length;
            }
        };
        double[] forecasts = new double[length];
        double[] errors = new double[length];
        java.util.Arrays.fill(forecasts, Double.NaN);
        java.util.Arrays.fill(errors, Double.NaN);
        for (int from = 0; from < steps.length; from += BATCH) { // predict's own batches, so only a batch's answers are held
            List<Answer> answers = predict(windows.subList(from, Math.min(steps.length, from + BATCH)), 1);
            for (int i = 0; i < answers.size(); i++) {
                int t = steps[from + i];
                forecasts[t] = answers.get(i).values()[0][0];
                errors[t] = step.apply(t)[targetFeature] - forecasts[t];
            }
        }
        return new double[][]{forecasts, errors};
    }

    /** An anomaly detector's reading of a series: {@link #forecastErrors} scored, flagged and grouped by {@code calibration}. */
    public AnomalyDetection detect(double[][] series, int lookback, AnomalyCalibration calibration) {
        double[][] forecastErrors = forecastErrors(series, lookback);
        return AnomalyDetection.of(forecastErrors[0], forecastErrors[1], calibration);
    }

    /** A recursive forecaster's next {@code horizon} values after each window ({@link RecursiveForecaster}), one row each. */
    private List<Answer> recursive(List<double[][]> windows, int horizon) {
        List<Answer> out = new ArrayList<>(windows.size());
        for (int from = 0; from < windows.size(); from += BATCH) {
            List<double[][]> chunk = windows.subList(from, Math.min(windows.size(), from + BATCH));
            INDArray x = Tensors.features(chunk, 1, scaler).values();
            float[][] rows = useAll(0, new ArrayList<>(), nets -> RecursiveForecaster.forecast(nets, x, horizon,
                    o -> scaler.feature(0, scaler.revertLabel(0, (float) o)), outputs -> Ensemble.combine(task, outputs)));
            for (float[] row : rows) {
                double[] values = new double[horizon];
                for (int h = 0; h < horizon; h++) {
                    values[h] = scaler.revertLabel(0, row[h]);
                }
                out.add(new Answer(new float[][]{row}, new double[][]{values}));
            }
        }
        return out;
    }

    /** Runs {@code work} on one network of every member at once (held in member order, so callers never wait on each other in a cycle). */
    private <T> T useAll(int from, List<MultiLayerNetwork> held, Function<List<MultiLayerNetwork>, T> work) {
        if (from == members.size()) {
            return work.apply(held);
        }
        return members.get(from).use(inference -> {
            held.add(inference.network());
            return useAll(from + 1, held, work);
        });
    }

    private double lastObservation(double[][] window) {
        return window[window.length - 1][targetFeature];
    }

    /** Per sequence its series' scaler, for a per-series model; null for any other (one scaler for all). */
    private List<Scaler> scalersOf(List<double[][]> sequences, List<List<String>> ids) {
        if (panel == null) {
            return null;
        }
        if (ids == null || ids.size() != sequences.size()) {
            throw new IllegalArgumentException("a model with a per-series normalizer needs the series of each of the "
                    + sequences.size() + " sequences, got " + (ids == null ? "none" : ids.size()));
        }
        List<Scaler> scalers = panel.scalersOf(ids);
        for (int i = 0; i < scalers.size(); i++) {
            if (scalers.get(i) == null) {
                throw new ModelInputException(i, "series " + SplitData.Panel.describe(panel.idColumns(), ids.get(i)) + " is not one of the "
                        + panel.ids().size() + " series the model was trained on; its normalizer is per series"
                        + " (data.series.normalizerScope: per-series), so it has no statistics for this one");
            }
        }
        return scalers;
    }

    private Scaler scalerOf(List<Scaler> scalers, int i) {
        return scalers == null ? scaler : scalers.get(i);
    }

    /** A probabilistic head's point forecast per target from its row of groups (the median, or the mean). */
    private float[] points(float[] row) {
        float[] out = new float[row.length / head.groupSize()];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) head.point(row, k);
        }
        return out;
    }

    private Intervals intervals(float[] row, int targets, double last, WindowReference reference, Scaler scaler) {
        double[][] quantiles = new double[targets][];
        double[] scales = head.type() == HeadKind.GAUSSIAN && reference != WindowReference.LOG_RATIO ? new double[targets] : null;
        for (int k = 0; k < targets; k++) {
            double[] q = head.quantiles(row, k);
            for (int l = 0; l < q.length; l++) {
                q[l] = level(scaler, k, q[l], last, reference);
            }
            quantiles[k] = q;
            if (scales != null) {
                // the map is affine here, so it scales a standard deviation by its slope
                double mean = row[k * 2];
                scales[k] = level(scaler, k, mean + row[k * 2 + 1], last, reference) - level(scaler, k, mean, last, reference);
            }
        }
        return new Intervals(head.levelArray(), quantiles, scales);
    }

    private static double level(Scaler scaler, int k, double output, double last, WindowReference reference) {
        return ForecastWindowing.level(scaler.revertLabel(k, (float) output), last, reference);
    }

    private double[][] values(float[][] rows, double last, WindowReference reference, Scaler scaler) {
        double[][] out = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = new double[rows[t].length];
            for (int k = 0; k < rows[t].length; k++) {
                out[t][k] = level(scaler, k, rows[t][k], last, reference);
            }
        }
        return out;
    }

    /**
     * Row {@code i} of a {@code [n, k]} output, read value by value: DL4J's {@code toFloatVector()} and
     * {@code getRow} cost several microseconds each on a row of a few values, reading the values a fraction of one.
     */
    private static float[] row(INDArray output, int i) {
        float[] out = new float[(int) output.size(1)];
        for (int k = 0; k < out.length; k++) {
            out[k] = output.getFloat(i, k);
        }
        return out;
    }

    /** The first {@code length} steps of sequence {@code i} of a {@code [n, k, T]} output (the rest is padding), {@code [step][k]}. */
    private static float[][] steps(INDArray output, int i, int length) {
        int k = (int) output.size(1);
        float[][] out = new float[length][k];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < k; c++) {
                out[t][c] = output.getFloat(i, c, t);
            }
        }
        return out;
    }
}
