package io.rnnkit.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many series of one file ({@code data.series.idColumns}) as one training set: each series was windowed and split on
 * its own (so no window crosses from one series to the next, and each series' last part is its test part); here their
 * windows are pooled part by part, series after series, for one network, and the series laid end to end so that a
 * window's origin still says where its baselines read (docs/architecture.md, "Many series in one file").
 */
final class SeriesPanels {
    private SeriesPanels() {
    }

    /**
     * @param read      the series as read, in file order
     * @param windowed  each series' windows and split, in the same order
     * @param idColumns the columns that name a series
     */
    static SplitData merge(List<SeriesLayout.Series> read, List<SplitData> windowed, List<String> idColumns) {
        return merge(read.stream().map(SeriesLayout.Series::id).toList(), windowed.stream().mapToInt(w -> w.forecast().series().length).toArray(),
                windowed, idColumns, null);
    }

    /**
     * @param ids     each series' id, in file order
     * @param lengths each series' steps
     * @param mapped the target column of the series laid end to end, read from the streaming cache ({@link SeriesCache},
     *               which lays them so); null to lay out the series' held columns
     */
    static SplitData merge(List<List<String>> ids, int[] lengths, List<SplitData> windowed, List<String> idColumns, java.util.function.IntToDoubleFunction mapped) {
        int count = windowed.size();
        int[] offsets = new int[count + 1];
        double[] scales = new double[count];
        for (int k = 0; k < count; k++) {
            offsets[k + 1] = offsets[k] + lengths[k];
            scales[k] = windowed.get(k).forecast().scale();
        }
        double[] laidOut = mapped != null ? null : new double[offsets[count]];
        for (int k = 0; k < count && mapped == null; k++) {
            double[] column = windowed.get(k).forecast().series();
            System.arraycopy(column, 0, laidOut, offsets[k], column.length);
        }
        SequenceSet[] parts = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            List<SequenceSet> own = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                own.add(part(windowed.get(k), p).shifted(offsets[k]));
            }
            parts[p] = SequenceSet.joined(own);
        }
        SplitData first = windowed.get(0);
        SplitData.Forecast f = first.forecast();
        SplitData.Panel panel = new SplitData.Panel(idColumns, ids, offsets, scales);
        SplitData.Forecast forecast = new SplitData.Forecast(f.targetFeature(), f.seasonalPeriod(), Double.NaN, f.reference(), f.strategy(),
                laidOut, report(windowed), f.categories(), panel, null, null, null, f.covariates(), mapped); // each series filled from its own part: no one set of fills
        return new SplitData(parts[0], parts[1], parts[2], first.classes(), first.featureNames(), fingerprint(ids, windowed), forecast, null);
    }

    private static SequenceSet part(SplitData split, int p) {
        return p == 0 ? split.train() : p == 1 ? split.validation() : split.test();
    }

    /** SHA-256 over every series' id and fingerprint, in file order. */
    private static String fingerprint(List<List<String>> ids, List<SplitData> windowed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int k = 0; k < ids.size(); k++) {
                sha.update((String.join("\u0000", ids.get(k)) + "\u0001" + windowed.get(k).fingerprint() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The series' reports summed: counts added up, per split and per column; the number of series first. */
    private static SeriesReport report(List<SplitData> windowed) {
        Map<String, Object> splits = new LinkedHashMap<>();
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("series", windowed.size());
        List<String> notes = List.of();
        for (SplitData split : windowed) {
            SeriesReport r = split.forecast().report();
            if (r == null) {
                continue;
            }
            notes = r.notes(); // the file's notes, the same for every series
            addInto(splits, new LinkedHashMap<>(r.splits()));
            addInto(read, r.read());
        }
        Map<String, Map<String, Object>> perSplit = new LinkedHashMap<>();
        splits.forEach((k, v) -> perSplit.put(k, castMap(v)));
        return new SeriesReport(perSplit, notes, read);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    /** Adds {@code more} into {@code sum}: numbers added, maps merged key by key, a text kept when every series has the same. */
    private static void addInto(Map<String, Object> sum, Map<String, ?> more) {
        more.forEach((key, value) -> {
            Object have = sum.get(key);
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> into = have == null ? new LinkedHashMap<>() : castMap(have);
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) m;
                addInto(into, typed);
                sum.put(key, into);
            } else if (value instanceof Long l) {
                sum.put(key, have == null ? l : key.startsWith("longest") ? Math.max((Long) have, l) : (Long) have + l);
            } else if (value instanceof Integer i) {
                sum.put(key, have == null ? i : (Integer) have + i);
            } else if (have == null || !sum.containsKey(key)) {
                sum.put(key, value);
            } else if (have != null && !have.equals(value)) {
                sum.put(key, "mixed");
            }
        });
    }
}
