package io.rnnkit.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The categories of a series' text columns, learnt from the training part (sorted, so the order does not depend
 * on the rows), and the one-hot features they become: one feature {@code column=category} per category. A step
 * whose column holds several categories (rows with the same time merged) has several ones (multi-hot). A category
 * not seen in training is read as the column's last feature, {@code column=}{@value #OTHER}, and counted: the model
 * sees that something unknown happened rather than nothing (a feature of its own, not one training saw only at 0).
 * Bundles of format 5 have no {@value #OTHER} feature: their unseen categories read as all zeros, as before.
 *
 * @param byColumn per categorical column, in the order of the value columns, its categories in feature order
 *                 ({@value #OTHER} last, from format 6 on)
 */
public record Categories(Map<String, List<String>> byColumn) {
    /** How a category unseen in training is named in reports. */
    public static final String OTHER = "<other>";

    public Categories {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byColumn.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byColumn = java.util.Collections.unmodifiableMap(copy);
    }

    /** The categories of each categorical column over the first {@code trainingSteps} rows. */
    static Categories fit(List<TimeColumns.Row> rows, List<String> columns, List<String> categorical, int trainingSteps) {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (int v = 0; v < columns.size(); v++) {
            if (!categorical.contains(columns.get(v))) {
                continue;
            }
            Set<String> column = new TreeSet<>();
            for (int r = 0; r < Math.min(trainingSteps, rows.size()); r++) {
                column.addAll(rows.get(r).texts().get(v));
            }
            seen.put(columns.get(v), column);
        }
        return of(seen);
    }

    /**
     * The categories of the texts seen in training, per categorical column in the order of the value columns (the
     * streaming path gathers them from its dictionary of the texts read): sorted, {@value #OTHER} last.
     */
    static Categories of(Map<String, Set<String>> seen) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        seen.forEach((column, texts) -> {
            Set<String> sorted = new TreeSet<>(texts);
            sorted.remove(OTHER); // a field that reads "<other>" is the unseen feature, not a category of its own
            List<String> list = new ArrayList<>(sorted);
            list.add(OTHER);
            found.put(column, list);
        });
        return new Categories(found);
    }

    /** The feature names: each numeric column as is, each categorical column as {@code column=category} ones. */
    List<String> featureNames(List<String> columns) {
        List<String> names = new ArrayList<>();
        for (String column : columns) {
            List<String> categories = byColumn.get(column);
            if (categories == null) {
                names.add(column);
            } else {
                categories.forEach(c -> names.add(column + "=" + c));
            }
        }
        return names;
    }

    /** The feature index of each value column's first feature. */
    int[] offsets(List<String> columns) {
        int[] offsets = new int[columns.size() + 1];
        for (int v = 0; v < columns.size(); v++) {
            List<String> categories = byColumn.get(columns.get(v));
            offsets[v + 1] = offsets[v] + (categories == null ? 1 : categories.size());
        }
        return offsets;
    }

    /**
     * The rows as feature vectors.
     *
     * @param partOf the name under which row r's steps read as {@value #OTHER} are counted (a split, or the input)
     * @param other  per part and categorical column, counted up: steps holding a category unseen in training
     */
    double[][] encode(List<TimeColumns.Row> rows, List<String> columns, java.util.function.IntFunction<String> partOf,
                      Map<String, Map<String, Integer>> other) {
        int[] offsets = offsets(columns);
        List<Map<String, Integer>> index = new ArrayList<>();
        for (String column : columns) {
            List<String> categories = byColumn.get(column);
            Map<String, Integer> positions = new java.util.HashMap<>();
            if (categories != null) {
                for (int i = 0; i < categories.size(); i++) {
                    positions.put(categories.get(i), i);
                }
            }
            index.add(positions);
        }
        double[][] out = new double[rows.size()][offsets[columns.size()]];
        for (int r = 0; r < rows.size(); r++) {
            TimeColumns.Row row = rows.get(r);
            for (int v = 0; v < columns.size(); v++) {
                if (!byColumn.containsKey(columns.get(v))) {
                    out[r][offsets[v]] = row.numbers()[v];
                    continue;
                }
                Integer unseen = index.get(v).get(OTHER);
                for (String text : row.texts().get(v)) {
                    Integer at = index.get(v).get(text);
                    if (at == null || text.equals(OTHER)) {
                        other.computeIfAbsent(partOf.apply(r), k -> new LinkedHashMap<>()).merge(columns.get(v), 1, Integer::sum);
                        at = unseen; // null in a format-5 bundle: all zeros
                    }
                    if (at != null) {
                        out[r][offsets[v] + at] = 1;
                    }
                }
            }
        }
        return out;
    }
}
