package io.rnnkit.data;

import java.util.List;
import java.util.Map;

/**
 * What reading a series changed, for the run log and {@code metrics.json}.
 *
 * @param splits per split (train, validation, test): {@code values} (missing values per column, filled or dropped by their policy), {@code windowsDropped}
 *               (windows whose inputs held a value that policy drop removes, or that linear interpolation would have
 *               filled from past the window's end) and {@code targetsMissing} (windows not kept because a target
 *               was missing: never trained on, never scored)
 * @param notes  what was ignored in the file as published (trailing empty rows and columns)
 */
public record SeriesReport(Map<String, Map<String, Object>> splits, List<String> notes) {
    public SeriesReport {
        splits = Map.copyOf(splits);
        notes = List.copyOf(notes);
    }

    /** One line for the run log. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        notes.forEach(n -> s.append(n).append("; "));
        for (String split : List.of("train", "validation", "test")) {
            Map<String, Object> counts = splits.get(split);
            if (counts != null) {
                s.append(split).append(' ').append(counts).append("; ");
            }
        }
        return s.length() == 0 ? "" : s.substring(0, s.length() - 2);
    }
}
