package io.rnnkit.tune;

import java.util.List;
import java.util.Map;

/**
 * One finished candidate, as saved in {@code trials/NNNN.json} the moment it ends and as one row of trials.csv.
 *
 * @param status  {@code completed}, {@code pruned} (stopped early by the pruner, then evaluated like any run),
 *                {@code diverged} (NaN or infinite loss), {@code out-of-memory}, {@code invalid} (the combination
 *                breaks a config rule) or {@code failed} (any other exception)
 * @param score   the search metric on the search split; null when the candidate has none
 * @param curve   the search metric on the validation split after each epoch (what the pruner compares)
 * @param reason  why a candidate failed; null otherwise
 */
public record TrialRecord(int id, Map<String, String> values, String status, Double score, int epochs, double seconds,
                          List<Double> curve, String reason) {
    public TrialRecord {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values)); // in the order of the space
        curve = List.copyOf(curve);
    }

    public boolean scored() {
        return score != null && !score.isNaN();
    }
}
