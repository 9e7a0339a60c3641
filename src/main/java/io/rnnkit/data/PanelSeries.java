package io.rnnkit.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model trained on many series of one file keeps about them (saved in the bundle): the columns that name a
 * series, the series it was trained on, and with {@code normalizerScope: per-series} each series' scaling, fitted on
 * its own training part, by which its inputs are scaled and its forecasts scaled back.
 *
 * @param idColumns the columns that name a series
 * @param ids       the series trained on, in file order
 * @param scalers   per series (in the order of {@code ids}) its scaling; null when the normalizer is global
 */
public record PanelSeries(List<String> idColumns, List<List<String>> ids, List<Scaler> scalers) {
    public PanelSeries {
        idColumns = List.copyOf(idColumns);
        ids = ids.stream().map(List::copyOf).toList();
        scalers = scalers == null ? null : List.copyOf(scalers);
        if (scalers != null && scalers.size() != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " series but " + scalers.size() + " scalers");
        }
    }

    public boolean perSeries() {
        return scalers != null;
    }

    /** Per id of {@code wanted}, the scaling of that series, or null where the model was not trained on it. */
    public List<Scaler> scalersOf(List<List<String>> wanted) {
        Map<List<String>, Integer> index = new HashMap<>(ids.size() * 2);
        for (int k = 0; k < ids.size(); k++) {
            index.put(ids.get(k), k);
        }
        List<Scaler> out = new ArrayList<>(wanted.size());
        for (List<String> id : wanted) {
            Integer k = index.get(id);
            out.add(k == null ? null : scalers.get(k));
        }
        return out;
    }

    /** The JSON form of the bundle's entry: {@code {"idColumns": [...], "series": [{"id": [...], "scaler": {...}}, ...]}}. */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> series = new ArrayList<>(ids.size());
        for (int k = 0; k < ids.size(); k++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", ids.get(k));
            if (scalers != null) {
                one.put("scaler", scalers.get(k).toMap());
            }
            series.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("idColumns", idColumns);
        out.put("series", series);
        return out;
    }

    /**
     * Reads {@link #toMap}'s form (numbers as decimals), checking that every series has an id of one value per id
     * column, no id twice, and a scaler of {@code features} inputs and {@code outputs} outputs on all or none.
     *
     * @throws IllegalArgumentException naming the first fault
     */
    public static PanelSeries fromMap(Map<String, ?> m, int features, int outputs) {
        List<String> idColumns = strings(m.get("idColumns"), "idColumns");
        if (idColumns.isEmpty() || !(m.get("series") instanceof List<?> series) || series.isEmpty()) {
            throw new IllegalArgumentException("expected idColumns and series");
        }
        List<List<String>> ids = new ArrayList<>(series.size());
        List<Scaler> scalers = new ArrayList<>(series.size());
        for (int k = 0; k < series.size(); k++) {
            if (!(series.get(k) instanceof Map<?, ?> one)) {
                throw new IllegalArgumentException("series[" + k + "]: expected an object");
            }
            List<String> id = strings(one.get("id"), "series[" + k + "].id");
            if (id.size() != idColumns.size() || ids.contains(id)) {
                throw new IllegalArgumentException("series[" + k + "].id: " + id + (id.size() != idColumns.size()
                        ? " does not have one value per id column " + idColumns : " is listed twice"));
            }
            ids.add(id);
            if (one.get("scaler") instanceof Map<?, ?> scaler) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) scaler;
                try {
                    scalers.add(Scaler.fromMap(typed, features, outputs));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("series[" + k + "].scaler." + e.getMessage(), e);
                }
            }
        }
        if (!scalers.isEmpty() && scalers.size() != ids.size()) {
            throw new IllegalArgumentException("some series have a scaler and some do not");
        }
        return new PanelSeries(idColumns, ids, scalers.isEmpty() ? null : scalers);
    }

    private static List<String> strings(Object value, String name) {
        if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
            throw new IllegalArgumentException(name + ": expected a list of texts");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
