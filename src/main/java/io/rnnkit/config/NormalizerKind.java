package io.rnnkit.config;

/** How feature values are scaled; statistics come from the training split only and are saved with the model. */
public enum NormalizerKind {
    /** Zero mean, unit variance per feature (DL4J's NormalizerStandardize). */
    STANDARDIZE,
    /** Each feature scaled to [0, 1] (DL4J's NormalizerMinMaxScaler). */
    MIN_MAX,
    NONE
}
