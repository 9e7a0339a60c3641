package io.rnnkit.train;

/** The loss became NaN or infinite; the message says where and what usually cures it. */
public class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int iteration;

    public TrainingDivergedException(int epoch, int iteration, double loss) {
        super("training diverged: the loss became " + loss + " at epoch " + epoch + ", iteration " + iteration
                + "; lower training.updater.learningRate, or enable training.gradientClipping (clip-l2-per-layer)");
        this.epoch = epoch;
        this.iteration = iteration;
    }

    public int epoch() {
        return epoch;
    }

    public int iteration() {
        return iteration;
    }
}
