package io.rnnkit.config;

/** How the learning rate changes from epoch to epoch (e = epochs completed, lr0 = updater.learningRate). */
public enum ScheduleKind {
    /** lr0 throughout. */
    CONSTANT,
    /** lr0 · decay^floor(e / step). */
    STEP,
    /** lr0 · decay^e. */
    EXPONENTIAL,
    /** lr0 / (1 + decay · e)^power. */
    INVERSE,
    /** lr0 · (1 − e / epochs)^power. */
    POLY
}
