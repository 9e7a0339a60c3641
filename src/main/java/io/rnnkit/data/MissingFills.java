package io.rnnkit.data;

import io.rnnkit.config.MissingPolicy;

import java.util.List;

/**
 * What a series' missing-value policies learnt from its training part, per numeric feature: the value a gap is
 * filled with where nothing observed is at hand (mask's fill, forward-fill's start). Saved in the bundle, so that
 * {@code rnnkit predict} and {@code RnnModel.read} fill a raw file's markers with the training figures, never with
 * figures of the file being predicted.
 *
 * @param columns one entry per numeric feature, in feature order
 */
public record MissingFills(List<Column> columns) {
    public MissingFills {
        columns = List.copyOf(columns);
    }

    /**
     * @param column the feature's name
     * @param policy its policy, as the config declared it (checked against the config when a bundle is read)
     * @param fill   the mean of its observed values in the training part (0 when it had none)
     */
    public record Column(String column, MissingPolicy policy, double fill) {
    }

    /** The entry of feature {@code name}, or null. */
    Column of(String name) {
        return columns.stream().filter(c -> c.column().equals(name)).findFirst().orElse(null);
    }
}
