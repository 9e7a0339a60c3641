package io.rnnkit.train;

import java.util.Map;

/**
 * One epoch of training: the mean training objective over its minibatches (data loss plus the L2 penalty,
 * as DL4J reports it), the validation metrics (empty when there is no validation split) and, per layer
 * index, the mean over the epoch's minibatches of the L2 norm of that layer's parameter gradient before
 * clipping, ‖∂L/∂θ_l‖₂ (a growing norm warns of exploding gradients, a shrinking one of vanishing).
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double seconds, boolean best,
                          Map<String, Double> gradientNorms) {
    public EpochRecord {
        // sorted, as the norms: Map.copyOf's order changes from JVM to JVM, and crossvalidation.json writes these maps
        validation = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(validation));
        gradientNorms = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(gradientNorms));
    }

    public EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double seconds, boolean best) {
        this(epoch, trainLoss, validation, seconds, best, Map.of());
    }
}
