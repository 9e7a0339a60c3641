package io.rnnkit.bundle;

/**
 * A sequence fed to a model one time step at a time, for data that arrives as it happens (a sensor, a
 * session): {@link #step} returns the model's output given the sequence so far — for a classifier the
 * probability of each class, for a regression model its values in the data's units. After the last step of a
 * sequence the output equals what {@link RnnModel#classify} or {@link RnnModel#predict} gives for the whole
 * sequence. A stream does not enforce a fixed-length model's length: outputs before that length are the
 * model's reading of a prefix, which it never saw in training.
 *
 * <p>The stream holds its own recurrent state; the network it runs on is lent to it for one step at a time, so
 * any number of streams on one model can be stepped from any threads at once without seeing each other.
 * The steps of one stream form one sequence, so they are taken one at a time: concurrent calls on the same
 * stream wait for each other (in an order no one chose, which is rarely what a caller wants).
 */
public final class ModelStream {
    private final RnnModel model;
    private StateMaps state;
    private int steps;
    /** An anomaly detector's stream: the last {@code lookback} steps observed, and its scores' smoothing state. */
    private final java.util.ArrayDeque<double[]> recent = new java.util.ArrayDeque<>();
    private AnomalyCalibration.Scorer scorer;
    private int observed;

    ModelStream(RnnModel model) {
        this.model = model;
    }

    /**
     * One observed step of a live series, for an anomaly detector ({@code task.kind: anomaly}): the step is scored
     * against the forecast made from the {@code lookback} steps observed before it, with the detector's own
     * threshold, exactly as {@link RnnModel#detect} scores that step of the whole series (to float precision). The
     * first {@code lookback} steps are only remembered: their score is NaN and they are never flagged. The stream
     * keeps its own window and smoothing state, apart from {@link #step}'s recurrent state.
     *
     * @param values one raw value per feature, in the order of {@link InputContract#featureNames()}
     * @throws UnsupportedByModelException for a model that detects no anomalies
     * @throws ModelInputException for a wrong number of values or a non-finite one; the stream is then unchanged
     */
    public synchronized Observation observe(double... values) {
        int lookback = model.streamLookback();
        model.checkStreamed(values, observed);
        if (scorer == null) {
            scorer = model.anomalyCalibration().scorer();
        }
        double forecast = Double.NaN;
        double error = Double.NaN;
        if (recent.size() == lookback) {
            forecast = model.forecastAfter(recent.toArray(double[][]::new));
            error = values[model.contract().forecast().targetFeature()] - forecast;
        }
        double score = scorer.next(error);
        recent.addLast(values.clone());
        if (recent.size() > lookback) {
            recent.removeFirst();
        }
        observed++;
        return new Observation(forecast, error, score, score > model.anomalyCalibration().threshold());
    }

    /** An observed step's forecast (from the steps before it), error, score and whether it is flagged; NaN until a whole window was seen. */
    public record Observation(double forecast, double error, double score, boolean flagged) {
    }

    /**
     * Feeds one time step (one raw value per feature, in the order of {@link InputContract#featureNames()}).
     *
     * @return the output after this step: class probabilities in the order of the model's classes, or values
     * @throws ModelInputException for a wrong number of values or a non-finite one; the stream is then unchanged
     */
    public synchronized double[] step(double... values) {
        RnnModel.StepResult result = model.step(values, steps, state);
        state = result.state();
        steps++;
        return result.output();
    }

    /** Steps fed since the stream was opened or last reset. */
    public synchronized int steps() {
        return steps;
    }

    /** Forgets every step: the next one starts a new sequence. */
    public synchronized void reset() {
        state = null;
        steps = 0;
        recent.clear();
        scorer = null;
        observed = 0;
    }
}
