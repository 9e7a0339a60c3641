package io.rnnkit.data;

import io.rnnkit.config.DuplicatePolicy;
import io.rnnkit.config.GapFill;
import io.rnnkit.config.SeriesConfig;
import io.rnnkit.config.TimeOrder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes the rows of a timed series regular, as {@code data.series} declares: rows out of order refused or
 * sorted, rows with the same time refused or merged, the cadence checked (declared or the most common step),
 * gaps of up to {@code maxGap} steps filled, and the series cut at every longer gap into segments, within
 * which windows are made. What it did is counted in {@link Report}.
 */
final class TimeColumns {
    private TimeColumns() {
    }

    /**
     * One step of a series: its time, the numbers of its value columns (NaN in a categorical slot) and the
     * categories of its categorical columns (null in a numeric slot; several after merging repeated times).
     *
     * @param line the file line it came from (for a filled step, the line before the gap)
     */
    record Row(long line, TimeAxis.Stamp time, double[] numbers, List<Set<String>> texts) {
    }

    /** What was done to make the series regular. */
    record Report(String cadence, int sorted, int merged, Map<String, String> mergedBy, int gaps, int filledGaps, int filledSteps,
                  int cuts, long longestGap) {
        String summary() {
            return "cadence " + cadence + "; " + sorted + " row(s) out of order sorted; " + merged + " row(s) with a repeated time merged"
                    + (merged > 0 ? " " + mergedBy : "") + "; "
                    + gaps + " gap(s), " + filledGaps + " filled (" + filledSteps + " step(s)), " + cuts + " cut (longest " + longestGap + " step(s))";
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("cadence", cadence);
            m.put("sorted_rows", sorted);
            m.put("merged_rows", merged);
            if (merged > 0) {
                m.put("merged_by", mergedBy); // how each column was merged: first, last, mean or any
            }
            m.put("gaps", gaps);
            m.put("filled_gaps", filledGaps);
            m.put("filled_steps", filledSteps);
            m.put("cut_gaps", cuts);
            m.put("longest_gap_steps", longestGap);
            return m;
        }
    }

    /** The regular series: its rows, and per row the segment it belongs to (windows never cross segments). */
    record Regular(List<Row> rows, int[] segments, Report report) {
    }

    /**
     * @param columns the value columns
     * @param merge   per value column, how rows with the same time are merged ({@link io.rnnkit.config.DuplicatesConfig#of})
     */
    static Regular regularize(Path file, List<Row> input, SeriesConfig config, List<String> columns, List<DuplicatePolicy> merge) {
        List<Row> rows = new ArrayList<>(input);
        int sorted = 0;
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).time().compareTo(rows.get(i - 1).time()) < 0) {
                if (config.order() == TimeOrder.REFUSE) {
                    throw DataException.at(file, rows.get(i).line(), "time " + rows.get(i).time() + " is earlier than " + rows.get(i - 1).time()
                            + " on line " + rows.get(i - 1).line() + "; set data.series.order: sort to sort the rows by time");
                }
                sorted++;
            }
        }
        if (sorted > 0) {
            rows.sort(Comparator.comparing(Row::time)); // stable: repeated times keep their file order
        }
        List<Row> merged = new ArrayList<>(rows.size());
        int repeats = 0;
        for (int i = 0; i < rows.size(); ) {
            int end = i + 1;
            while (end < rows.size() && rows.get(end).time().compareTo(rows.get(i).time()) == 0) {
                end++;
            }
            if (end - i > 1 && merge.contains(DuplicatePolicy.REFUSE)) {
                throw repeated(file, rows.get(i + 1), rows.get(i), config, columns, merge);
            }
            merged.add(end - i == 1 ? rows.get(i) : merge(rows.subList(i, end), merge));
            repeats += end - i - 1;
            i = end;
        }
        Map<String, String> mergedBy = new java.util.LinkedHashMap<>();
        for (int v = 0; v < columns.size(); v++) {
            mergedBy.put(columns.get(v), io.rnnkit.config.YamlNames.of(merge.get(v)));
        }
        if (merged.size() < 2) {
            return new Regular(merged, new int[merged.size()], new Report(null, sorted, repeats, mergedBy, 0, 0, 0, 0, 0));
        }
        boolean numeric = merged.get(0).time().at() == null;
        TimeAxis.Cadence cadence = config.cadence() != null ? TimeAxis.Cadence.parse(config.cadence(), numeric) : inferred(merged);
        List<Row> out = new ArrayList<>(merged.size());
        List<Integer> segments = new ArrayList<>(merged.size());
        int segment = 0;
        int gaps = 0;
        int filledGaps = 0;
        int filledSteps = 0;
        int cuts = 0;
        long longest = 0;
        out.add(merged.get(0));
        segments.add(0);
        for (int i = 1; i < merged.size(); i++) {
            Row before = merged.get(i - 1);
            Row row = merged.get(i);
            double k = cadence.steps(before.time(), row.time());
            if (Double.isNaN(k)) {
                throw DataException.at(file, row.line(), "time " + row.time() + " is not a whole number of steps of " + cadence + " after "
                        + before.time() + " on line " + before.line() + (config.cadence() == null
                        ? " (the most common step, inferred); declare data.series.cadence" : " (data.series.cadence)"));
            }
            long missing = (long) k - 1;
            if (missing > 0) {
                gaps++;
                longest = Math.max(longest, missing);
                if (config.gapFill() != GapFill.NONE && missing <= config.maxGap()) {
                    filledGaps++;
                    filledSteps += (int) missing;
                    for (long j = 1; j <= missing; j++) {
                        out.add(filled(before, row, j, missing + 1, cadence, config.gapFill()));
                        segments.add(segment);
                    }
                } else {
                    cuts++;
                    segment++;
                }
            }
            out.add(row);
            segments.add(segment);
        }
        return new Regular(out, segments.stream().mapToInt(Integer::intValue).toArray(),
                new Report(cadence.toString(), sorted, repeats, mergedBy, gaps, filledGaps, filledSteps, cuts, longest));
    }

    /** The most common step between consecutive times (the smallest of equally common ones). */
    private static TimeAxis.Cadence inferred(List<Row> rows) {
        Map<TimeAxis.Cadence, Integer> counts = new HashMap<>();
        for (int i = 1; i < rows.size(); i++) {
            counts.merge(TimeAxis.Cadence.between(rows.get(i - 1).time(), rows.get(i).time()), 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<TimeAxis.Cadence, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(e -> -e.getKey().amount()))
                .orElseThrow().getKey();
    }

    /** A row whose time repeats the row before, refused by a column's duplicate policy (refuse). */
    static DataException repeated(Path file, Row row, Row first, SeriesConfig config, List<String> columns, List<DuplicatePolicy> merge) {
        int refused = merge.indexOf(DuplicatePolicy.REFUSE);
        return DataException.at(file, row.line(), "time " + first.time() + " repeats line " + first.line()
                + (config.duplicates().declared() ? "; column " + columns.get(refused) + "'s duplicate policy is refuse"
                : "; set data.series.duplicates: first, last or mean to merge rows with the same time"));
    }

    /** Rows with one time as one row, each column merged by its policy. */
    static Row merge(List<Row> same, List<DuplicatePolicy> merge) {
        Row first = same.get(0);
        Row last = same.get(same.size() - 1);
        double[] numbers = new double[first.numbers().length];
        List<Set<String>> texts = new ArrayList<>(first.texts().size());
        for (int v = 0; v < numbers.length; v++) {
            DuplicatePolicy policy = merge.get(v);
            Row kept = policy == DuplicatePolicy.LAST ? last : first;
            numbers[v] = kept.numbers()[v];
            if (policy == DuplicatePolicy.MEAN) {
                double sum = 0;
                int observed = 0;
                for (Row r : same) {
                    if (!Double.isNaN(r.numbers()[v])) { // a missing value (data.missing) does not take part; all missing stays missing
                        sum += r.numbers()[v];
                        observed++;
                    }
                }
                numbers[v] = observed == 0 ? Double.NaN : sum / observed;
            }
            if (first.texts().get(v) == null || policy != DuplicatePolicy.ANY) {
                texts.add(kept.texts().get(v));
            } else {
                Set<String> all = new TreeSet<>();
                for (Row r : same) {
                    all.addAll(r.texts().get(v));
                }
                texts.add(all);
            }
        }
        return new Row(first.line(), first.time(), numbers, texts);
    }

    /** Step {@code j} of the {@code span - 1} missing between two rows: numbers linear or repeated, categories repeated. */
    static Row filled(Row before, Row after, long j, long span, TimeAxis.Cadence cadence, GapFill fill) {
        double[] numbers = before.numbers().clone();
        if (fill == GapFill.LINEAR) {
            for (int v = 0; v < numbers.length; v++) {
                numbers[v] += (after.numbers()[v] - before.numbers()[v]) * j / span;
            }
        }
        return new Row(before.line(), before.time().plus(cadence, j), numbers, before.texts());
    }
}
