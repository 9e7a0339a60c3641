package io.rnnkit.train;

import java.util.Map;

/**
 * One epoch of training: the mean training objective over its minibatches (data loss plus the L2 penalty,
 * as DL4J reports it) and the validation metrics (empty when there is no validation split).
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> validation, double seconds, boolean best) {
    public EpochRecord {
        validation = Map.copyOf(validation);
    }
}
