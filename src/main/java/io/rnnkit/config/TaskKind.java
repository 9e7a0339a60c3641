package io.rnnkit.config;

/** What the answer is: a class (softmax + cross-entropy) or real values (identity + mean squared error). */
public enum TaskKind {
    CLASSIFICATION,
    REGRESSION
}
