package io.rnnkit.config;

/** Weight initialisation schemes (DL4J's {@code WeightInit}). */
public enum WeightInitKind {
    XAVIER,
    XAVIER_UNIFORM,
    LECUN_NORMAL,
    LECUN_UNIFORM,
    RELU,
    RELU_UNIFORM,
    NORMAL,
    UNIFORM
}
