package io.rnnkit.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Sequences as read from one file or folder, with their raw label text and where each label came from.
 * A label is {@code [steps][columns]} text: one row for a per-sequence label, one row per time step for
 * per-step labels; one column for a class, one or more for regression targets. Labels are null when the
 * layout has none.
 */
record RawSequences(List<double[][]> sequences, List<String[][]> labels, List<Origin> origins, boolean perStep) {
    RawSequences {
        sequences = List.copyOf(sequences);
        labels = labels == null ? null : List.copyOf(labels);
        origins = List.copyOf(origins);
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
