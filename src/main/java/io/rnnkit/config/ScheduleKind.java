package io.rnnkit.config;

/**
 * How the learning rate changes from epoch to epoch (e = epochs completed, lr0 = updater.learningRate,
 * E = training.epochs). A warm-up ({@link ScheduleConfig#warmup()}) multiplies any of them.
 */
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
    POLY,
    /** Cosine decay to the floor: floor + (lr0 − floor) · (1 + cos(π · e / E)) / 2 (Loshchilov &amp; Hutter's SGDR, one cycle). */
    COSINE
}
