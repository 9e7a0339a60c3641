package io.rnnkit.config;

/** What a direct forecaster's output layer gives per horizon step. */
public enum HeadKind {
    /** One value per step, trained with mean squared error. */
    POINT,
    /** One value per declared quantile level per step, non-crossing, trained with the pinball loss. */
    QUANTILE,
    /** A Gaussian's mean and scale per step, trained with its negative log-likelihood. */
    GAUSSIAN
}
