package io.rnnkit.config;

/**
 * What a forecast window's values are measured against. A network trained on absolute levels cannot
 * forecast levels it never saw (a trending series leaves the training range); relative windows make the
 * task scale-free. With y_L the window's last observation of each feature:
 */
public enum WindowReference {
    /** x_t and targets as they are. */
    NONE,
    /** x_t − y_L and y_{L+h} − y_L: changes since the last observation (additive trends). */
    DIFFERENCE,
    /** ln(x_t / y_L) and ln(y_{L+h} / y_L): relative changes (multiplicative trend and season); values must be positive. */
    LOG_RATIO
}
