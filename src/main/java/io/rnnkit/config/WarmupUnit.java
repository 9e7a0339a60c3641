package io.rnnkit.config;

/** What a learning-rate warm-up counts. */
public enum WarmupUnit {
    /** Passes over the training split. */
    EPOCHS,
    /** Parameter updates (minibatches, or truncated-BPTT segments). */
    ITERATIONS
}
