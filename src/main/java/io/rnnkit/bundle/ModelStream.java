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

    ModelStream(RnnModel model) {
        this.model = model;
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
    }
}
