package io.rnnkit.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults found while reading a whole data file, so that one run of {@code rnnkit validate} names every one
 * (up to {@link #LIMIT}, then how many more) instead of stopping at the first.
 */
final class DataFaults {
    static final int LIMIT = 50;

    private final List<String> shown = new ArrayList<>();
    private int total;

    /** A fault at one line and column (counted from 1) of a file. */
    void add(Path file, long line, int column, String message) {
        add(file + ":" + line + ": column " + column + ": " + message);
    }

    void add(DataException fault) {
        add(fault.getMessage());
    }

    private void add(String message) {
        total++;
        if (shown.size() < LIMIT) {
            shown.add(message);
        }
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** Throws one {@link DataException} listing every fault found, when there is any. */
    void throwIfAny() {
        if (total == 1) {
            throw new DataException(shown.get(0));
        }
        if (total > 1) {
            StringBuilder message = new StringBuilder(total + " faults in the data:");
            shown.forEach(s -> message.append("\n  ").append(s));
            if (total > shown.size()) {
                message.append("\n  and ").append(total - shown.size()).append(" more");
            }
            throw new DataException(message.toString());
        }
    }
}
