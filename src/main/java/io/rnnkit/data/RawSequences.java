package io.rnnkit.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Sequences as read from one file or folder, with their raw label text (null when the layout has none)
 * and, for each sequence, the file and line to blame for a bad label.
 */
record RawSequences(List<double[][]> sequences, List<String> labels, List<String> origins) {
    RawSequences {
        sequences = List.copyOf(sequences);
        labels = labels == null ? null : List.copyOf(labels);
        origins = List.copyOf(origins);
    }

    static String origin(Path file, long line) {
        return file + ":" + line;
    }
}
