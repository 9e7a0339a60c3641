package io.rnnkit.data;

import io.rnnkit.config.DataConfig;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataPaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The features of a streamed series whose categories or missing values are learnt from its training part, which is
 * known only once the file has been read ({@link SeriesCache}): a second pass over the mapped steps, after the split,
 * writes each step's features as the in-memory path makes them ({@link SeriesLayout}): the categorical columns one-hot
 * over the categories of every series' training part ({@link Categories}), the missing values filled per policy with the
 * series' own training means ({@link MissingValues.Filler}), the {@code _missing} indicators, then the calendar. The
 * file is mapped and unlinked at once (it lives while mapped, rebuilt each run since it depends on the split); the heap
 * holds a step's row, a column's state and the dictionary of categories, not the series.
 */
final class SeriesFeatures {
    /** After a step's features: whether policy drop removes it (1 or 0), and the last step its fills read (MissingValues.Filled). */
    private static final int FLAGS = 2;

    private final SeriesCache cache;
    private final List<String> values;
    private final Categories categories;
    private final List<String> names;
    private final int target;
    private final int targetColumn;
    private final int stride;
    private final Covariates covariates;
    private final DoubleBuffer[] chunks;
    /** Per series: its fingerprint, fills learnt, values filled per part and feature, steps read as {@code <other>}. */
    private final List<String> fingerprints = new ArrayList<>();
    private final List<MissingFills> fills = new ArrayList<>();
    private final List<int[][]> filled = new ArrayList<>();
    private final List<Map<String, Map<String, Integer>>> other = new ArrayList<>();
    private final List<String> encodedNames;

    /** Whether the config's series needs this pass: categorical columns or missing values declared. */
    static boolean needed(DataConfig data) {
        io.rnnkit.config.MissingConfig missing = data.missing();
        return !data.series().categorical().isEmpty() || !missing.markers().isEmpty() || !missing.columns().isEmpty()
                || missing.policy() == io.rnnkit.config.MissingPolicy.MASK;
    }

    /**
     * @param values  the value columns, the first of the cache's columns (the calendar's follow)
     * @param lengths each series' steps, in the cache's order
     */
    SeriesFeatures(SeriesCache cache, List<String> values, int[] lengths, DataConfig data, ConfigLocations where) {
        this.cache = cache;
        this.values = values;
        Path file = DataPaths.resolve(data.path());
        categories = Categories.of(trainingTexts(cache, values, lengths, data));
        encodedNames = categories.featureNames(values);
        int[] offsets = categories.offsets(values);
        targetColumn = cache.targetColumn();
        target = offsets[targetColumn];
        MissingValues missing = MissingValues.of(data.missing(), values, file, where).onFeatures(offsets, encodedNames, categories);
        int calendar = cache.width() - values.size();
        List<String> all = new ArrayList<>(missing.filledColumns());
        all.addAll(cache.columns().subList(values.size(), cache.width()));
        names = List.copyOf(all);
        stride = names.size() + FLAGS;
        covariates = data.series().covariates() ? Covariates.of(data.series(), names, categories, data.window().horizon()) : null;
        try {
            // a scratch file of this run (several runs may share the cache): a name of its own, never forced to disk
            Path out = cache.directory().resolve("features-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".f64");
            try {
                write(out, missing, offsets, lengths, calendar, data);
                chunks = java.util.Arrays.stream(SequenceCache.mapChunks(out)).map(ByteBuffer::asDoubleBuffer).toArray(DoubleBuffer[]::new);
            } finally {
                Files.deleteIfExists(out); // the mapping keeps it while the run reads it
            }
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(cache.directory(), "cannot write the streaming cache's features: " + e.getMessage(), e);
        }
    }

    /** Per categorical column, the categories its steps hold in the training part of every series (from the dictionary's ids). */
    private static Map<String, Set<String>> trainingTexts(SeriesCache cache, List<String> values, int[] lengths, DataConfig data) {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (int v = 0; v < values.size(); v++) {
            if (!data.series().categorical().contains(values.get(v))) {
                continue;
            }
            boolean[] used = new boolean[cache.dictionary(v).size()];
            for (int k = 0, start = 0; k < lengths.length; start += lengths[k++]) {
                for (int t = 0, end = ForecastWindowing.partStarts(lengths[k], data.split())[0]; t < end; t++) {
                    used[(int) cache.value(start + t, v)] = true;
                }
            }
            Set<String> texts = new java.util.TreeSet<>();
            for (int id = 0; id < used.length; id++) {
                if (used[id]) {
                    texts.addAll(cache.dictionary(v).get(id));
                }
            }
            seen.put(values.get(v), texts);
        }
        return seen;
    }

    /** Each series' steps in order, filled from its own training part, written as features and flags. */
    private void write(Path out, MissingValues missing, int[] offsets, int[] lengths, int calendar, DataConfig data) throws IOException {
        // per categorical column and dictionary id: where its one-hot features are 1, and how many of its categories are unseen
        List<List<int[]>> encoded = new ArrayList<>();
        List<int[]> unseen = new ArrayList<>();
        for (int v = 0; v < values.size(); v++) {
            List<int[]> codes = new ArrayList<>();
            int[] counts = new int[cache.dictionary(v).size()];
            for (int id = 0; id < counts.length && categories.byColumn().containsKey(values.get(v)); id++) {
                Map<String, Map<String, Integer>> count = new LinkedHashMap<>();
                List<Set<String>> texts = java.util.Collections.singletonList(cache.dictionary(v).get(id));
                double[] code = categories.encode(List.of(new TimeColumns.Row(0, null, new double[]{Double.NaN}, texts)), List.of(values.get(v)),
                        r -> "", count)[0];
                codes.add(java.util.stream.IntStream.range(0, code.length).filter(c -> code[c] != 0).toArray());
                counts[id] = count.isEmpty() ? 0 : count.get("").get(values.get(v));
            }
            encoded.add(codes);
            unseen.add(counts);
        }
        int[] featureColumn = new int[encodedNames.size()];
        for (int v = 0; v < values.size(); v++) {
            java.util.Arrays.fill(featureColumn, offsets[v], offsets[v + 1], v);
        }
        ByteBuffer big = ByteBuffer.allocate(8);
        String[] parts = {"train", "validation", "test"};
        try (SequenceCache.Output output = new SequenceCache.Output(out, null, false)) {
            for (int k = 0, start = 0; k < lengths.length; start += lengths[k++]) {
                int from = start;
                int n = lengths[k];
                int[] starts = ForecastWindowing.partStarts(n, data.split());
                // a numeric feature's raw value (a one-hot one never holds a NaN: neither a mean nor a lookahead reads it)
                MissingValues.Raw raw = (t, f) -> cache.value(from + t, featureColumn[f]);
                double[] means = missing.trainingMeans(raw, starts[0]);
                MissingValues.Filler filler = missing.filler(raw, n, means);
                Map<String, Map<String, Integer>> others = new LinkedHashMap<>();
                List.of(parts).forEach(p -> others.put(p, new LinkedHashMap<>()));
                MessageDigest digest = SequenceCache.sha256();
                digest.update(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
                double[] row = new double[encodedNames.size()];
                double[] step = new double[stride];
                int width = filler.names().size();
                for (int t = 0; t < n; t++) {
                    int part = t >= starts[1] ? 2 : t >= starts[0] ? 1 : 0;
                    for (int v = 0; v < values.size(); v++) {
                        double value = cache.value(from + t, v);
                        if (encoded.get(v).isEmpty()) {
                            row[offsets[v]] = value;
                            continue;
                        }
                        int id = (int) value;
                        java.util.Arrays.fill(row, offsets[v], offsets[v + 1], 0);
                        for (int c : encoded.get(v).get(id)) {
                            row[offsets[v] + c] = 1;
                        }
                        if (unseen.get(v)[id] > 0) {
                            others.get(parts[part]).merge(values.get(v), unseen.get(v)[id], Integer::sum);
                        }
                    }
                    filler.step(t, row, step, part);
                    for (int c = 0; c < calendar; c++) {
                        step[width + c] = cache.value(from + t, values.size() + c);
                    }
                    step[stride - 2] = filler.dropped() ? 1 : 0;
                    step[stride - 1] = filler.readsUpTo();
                    for (int f = 0; f < stride; f++) {
                        if (f < names.size()) {
                            digest.update(big.clear().putDouble(step[f]).flip());
                        }
                        output.putDouble(step[f]);
                    }
                    if (t == 0) {
                        digest.update(big.clear().putDouble(0).flip()); // the in-memory fingerprint's one target, after the first step
                    }
                }
                fingerprints.add(HexFormat.of().formatHex(digest.digest()));
                fills.add(missing.learnt(means));
                filled.add(filler.filled());
                other.add(others);
            }
        }
    }

    /** Feature {@code f} of step {@code t} of the cache. */
    double value(int t, int f) {
        return SeriesCache.at(chunks, (long) t * stride + f);
    }

    /** The features of step {@code t}. */
    double[] row(int t) {
        double[] row = new double[names.size()];
        for (int f = 0; f < row.length; f++) {
            row[f] = value(t, f);
        }
        return row;
    }

    /** Whether a missing-value policy drop removes step {@code t}'s row. */
    boolean dropped(int t) {
        return value(t, stride - 2) != 0;
    }

    List<String> names() {
        return names;
    }

    int target() {
        return target;
    }

    Categories categories() {
        return categories;
    }

    /** Where the covariates lie among the features; null without any. */
    Covariates covariates() {
        return covariates;
    }

    String fingerprint(int k) {
        return fingerprints.get(k);
    }

    MissingFills fills(int k) {
        return fills.get(k);
    }

    /** Steps read as {@code <other>}, per part and categorical column, of series {@code k}. */
    Map<String, Map<String, Integer>> other(int k) {
        return other.get(k);
    }

    /** The missing values of series {@code k}, whose first step is {@code start}: what a window must not read, as in memory. */
    ForecastWindowing.Gaps gaps(int k, int start, List<String> notes) {
        return new ForecastWindowing.Gaps(t -> Double.isNaN(cache.value(start + t, targetColumn)), t -> dropped(start + t),
                t -> (int) value(start + t, stride - 1), filled.get(k), encodedNames, notes);
    }
}
