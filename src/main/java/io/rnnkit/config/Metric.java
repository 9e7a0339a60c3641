package io.rnnkit.config;

/** Metrics a run reports; which ones exist depends on the task. */
public enum Metric {
    LOSS(false),
    ACCURACY(true),
    F1(true),
    MAE(false),
    RMSE(false);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** True when {@code candidate} is strictly better than {@code incumbent} for this metric. */
    public boolean better(double candidate, double incumbent) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        return Double.isNaN(incumbent) || (higherIsBetter ? candidate > incumbent : candidate < incumbent);
    }

    public boolean appliesTo(TaskKind kind) {
        return switch (this) {
            case LOSS -> true;
            case ACCURACY, F1 -> kind == TaskKind.CLASSIFICATION;
            case MAE, RMSE -> kind.regresses();
        };
    }
}
