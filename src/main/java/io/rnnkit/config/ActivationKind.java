package io.rnnkit.config;

/** Activation functions a recurrent layer may use for its output (DL4J's {@code Activation}). */
public enum ActivationKind {
    TANH,
    SOFTSIGN,
    SIGMOID,
    RELU,
    LEAKYRELU,
    ELU,
    IDENTITY
}
