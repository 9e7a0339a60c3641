package io.rnnkit.config;

/** One of the three splits a run evaluates. */
public enum SplitName {
    TRAIN,
    VALIDATION,
    TEST
}
