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
 * not seen in training is read as {@value #OTHER}: all zeros, counted, rather than a feature that training never
 * saw move (whose standardized value would be huge).
 *
 * @param byColumn per categorical column, in the order of the value columns, its categories in feature order
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
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (int v = 0; v < columns.size(); v++) {
            if (!categorical.contains(columns.get(v))) {
                continue;
            }
            Set<String> seen = new TreeSet<>();
            for (int r = 0; r < Math.min(trainingSteps, rows.size()); r++) {
                seen.addAll(rows.get(r).texts().get(v));
            }
            found.put(columns.get(v), new ArrayList<>(seen));
        }
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
     * @param unseen per categorical column, counted up: steps holding a category unseen in training (read as {@value #OTHER})
     */
    double[][] encode(List<TimeColumns.Row> rows, List<String> columns, Map<String, Integer> unseen) {
        int[] offsets = offsets(columns);
        double[][] out = new double[rows.size()][offsets[columns.size()]];
        for (int r = 0; r < rows.size(); r++) {
            TimeColumns.Row row = rows.get(r);
            for (int v = 0; v < columns.size(); v++) {
                List<String> categories = byColumn.get(columns.get(v));
                if (categories == null) {
                    out[r][offsets[v]] = row.numbers()[v];
                    continue;
                }
                for (String text : row.texts().get(v)) {
                    int index = java.util.Collections.binarySearch(categories, text);
                    if (index >= 0) {
                        out[r][offsets[v] + index] = 1;
                    } else {
                        unseen.merge(columns.get(v), 1, Integer::sum);
                    }
                }
            }
        }
        return out;
    }
}
