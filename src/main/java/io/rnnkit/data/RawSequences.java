package io.rnnkit.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Sequences as read from one file or folder, with their raw label text and where each label came from.
 * A label is {@code [steps][columns]} text: one row for a per-sequence label, one row per time step for
 * per-step labels; one column for a class, one or more for regression targets. Labels are null when the
 * layout has none.
 *
 * @param steps per sequence, its steps with their categorical features as text ({@code data.categorical}, rows layout),
 *              to be made one-hot once the training split's categories are known; null when no feature is categorical
 */
record RawSequences(List<double[][]> sequences, List<String[][]> labels, List<Origin> origins, boolean perStep,
                    List<List<TimeColumns.Row>> steps) {
    RawSequences {
        sequences = List.copyOf(sequences);
        labels = labels == null ? null : List.copyOf(labels);
        origins = List.copyOf(origins);
        steps = steps == null ? null : List.copyOf(steps);
    }

    RawSequences(List<double[][]> sequences, List<String[][]> labels, List<Origin> origins, boolean perStep) {
        this(sequences, labels, origins, perStep, null);
    }

    /**
     * The sequences with their categorical features one-hot over {@code categories}.
     *
     * @param partOf the part under which sequence i's categories unseen in training are counted
     * @param other  per part and feature, counted up: steps read as {@code <other>}
     */
    List<double[][]> oneHot(Categories categories, List<String> columns, java.util.function.IntFunction<String> partOf,
                            java.util.Map<String, java.util.Map<String, Integer>> other) {
        List<double[][]> out = new java.util.ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            int sequence = i;
            out.add(categories.encode(steps.get(i), columns, t -> partOf.apply(sequence), other));
        }
        return out;
    }

    /** Where a sequence's labels are: a file and the line of its first label (0 when lines do not apply). */
    record Origin(String source, long line) {
        static Origin of(Path file, long line) {
            return new Origin(file.toString(), line);
        }

        /** {@code file:line} of the label of the given step (0 for a per-sequence label). */
        String at(int step) {
            return line > 0 ? source + ":" + (line + step) : source;
        }
    }

    /** A single label value per sequence (one step, one column). */
    static String[][] single(String value) {
        return new String[][]{{value}};
    }
}
