package io.rnnkit.train;

/** What a caller hears while a run trains; the command line prints it, tests and the tuner may ignore it. */
public interface TrainingProgress {
    TrainingProgress SILENT = new TrainingProgress() {
    };

    /** After every minibatch: batches done in this epoch out of {@code batches}, and that minibatch's loss. */
    default void batch(int epoch, int batchesDone, int batches, double loss) {
    }

    /** As {@link #batch(int, int, int, double)}, with the sequences trained on so far in this epoch (for throughput). */
    default void batch(int epoch, int batchesDone, int batches, double loss, long sequencesDone) {
        batch(epoch, batchesDone, batches, loss);
    }

    default void epoch(EpochRecord record, int epochs) {
    }

    /**
     * Asked after every epoch but the last, once {@link #epoch} has heard it: true stops training there, and the
     * run ends as after an early stop (best epoch restored, evaluated, saved). A search's pruner says so here.
     */
    default boolean stopAfter(EpochRecord record) {
        return false;
    }

    default void note(String message) {
    }
}
