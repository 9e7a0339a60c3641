package io.rnnkit.config;

/** Gradient-descent updaters (ND4J's {@code IUpdater} implementations). */
public enum UpdaterKind {
    SGD,
    NESTEROVS,
    ADAM,
    /** Adam with decoupled weight decay (Loshchilov &amp; Hutter): {@code training.updater.weightDecay} &gt; 0. */
    ADAMW,
    ADAMAX,
    NADAM,
    AMSGRAD,
    RMSPROP,
    ADAGRAD,
    ADADELTA
}
