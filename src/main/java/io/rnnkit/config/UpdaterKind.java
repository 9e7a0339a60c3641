package io.rnnkit.config;

/** Gradient-descent updaters (ND4J's {@code IUpdater} implementations). */
public enum UpdaterKind {
    SGD,
    NESTEROVS,
    ADAM,
    ADAMAX,
    NADAM,
    AMSGRAD,
    RMSPROP,
    ADAGRAD,
    ADADELTA
}
