package io.rnnkit.data;

import java.util.List;
import java.util.Map;

/**
 * What reading a series (or rows with text features) changed, for the run log and {@code metrics.json}.
 *
 * @param splits per split (train, validation, test): {@code values} (missing values per column, filled or dropped by their policy), {@code windowsDropped}
 *               (windows whose inputs held a value that policy drop removes, or that linear interpolation would have
 *               filled from past the window's end) and {@code targetsMissing} (windows not kept because a target
 *               was missing: never trained on, never scored)
 * @param notes  what was ignored in the file as published (trailing empty rows and columns)
 * @param read   how the timed series was made regular ({@code time}: order, repeated times, cadence, gaps) and, per
 *               split and categorical column (of a series or of rows), the steps read as {@code <other>} ({@code categories_other})
 */
public record SeriesReport(Map<String, Map<String, Object>> splits, List<String> notes, Map<String, Object> read) {
    public SeriesReport {
        splits = Map.copyOf(splits);
        notes = List.copyOf(notes);
        // insertion order kept for metrics.json; a cadence may be null (a series of one step), which Map.copyOf refuses
        read = read == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(read));
    }

    public SeriesReport(Map<String, Map<String, Object>> splits, List<String> notes) {
        this(splits, notes, null);
    }

    /** One line for the run log. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        notes.forEach(n -> s.append(n).append("; "));
        read.forEach((k, v) -> s.append(k).append(' ').append(v).append("; "));
        for (String split : List.of("train", "validation", "test")) {
            Map<String, Object> counts = splits.get(split);
            if (counts != null) {
                s.append(split).append(' ').append(counts).append("; ");
            }
        }
        return s.length() == 0 ? "" : s.substring(0, s.length() - 2);
    }
}
