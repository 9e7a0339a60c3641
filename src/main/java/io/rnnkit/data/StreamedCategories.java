package io.rnnkit.data;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Categorical features ({@code data.categorical}) on the streaming path, as the in-memory path makes them one-hot
 * ({@link Categories}): the cache holds each categorical value as an id into its feature's dictionary of the texts seen
 * ({@link SequenceCache#categorical}); the categories are the texts the training split's ids stand for (one pass over it),
 * and each sequence is made one-hot when it is read. The steps read as {@value Categories#OTHER} are counted per split in
 * a second pass, in the in-memory path's order, for {@code metrics.json}.
 */
final class StreamedCategories {
    private static final String[] PARTS = {"train", "validation", "test"};

    private final Categories categories;
    private final List<String> columns;
    private final int[] offsets;
    private final SequenceCache main;
    /** Per feature of the main cache, each dictionary id's position among the feature's categories (null: numeric). */
    private final int[][] positions;
    private final int[][] testPositions;
    private final Map<String, Map<String, Integer>> other = new LinkedHashMap<>();

    /**
     * @param parts    the main cache's splits (train, validation and, without a test file, test)
     * @param testFile the test file's cache (data.testPath), or null
     */
    StreamedCategories(SequenceCache main, int[][] parts, SequenceCache testFile) {
        this.main = main;
        columns = SplitData.positionalNames(main.features());
        Map<Integer, List<String>> dictionaries = main.categorical();
        Map<Integer, boolean[]> seen = new LinkedHashMap<>();
        dictionaries.forEach((f, texts) -> seen.put(f, new boolean[texts.size()]));
        for (int i : parts[0]) {
            for (double[] step : main.sequence(i)) {
                seen.forEach((f, flags) -> flags[(int) step[f]] = true);
            }
        }
        Map<String, Set<String>> byColumn = new LinkedHashMap<>(); // in column order: the dictionaries' keys are sorted
        dictionaries.forEach((f, texts) -> {
            Set<String> found = new HashSet<>();
            for (int id = 0; id < texts.size(); id++) {
                if (seen.get(f)[id]) {
                    found.add(texts.get(id));
                }
            }
            byColumn.put(columns.get(f), found);
        });
        categories = Categories.of(byColumn); // sorted, "<other>" last, as the in-memory path's Categories.fit
        offsets = categories.offsets(columns);
        positions = positions(main);
        testPositions = testFile == null ? null : positions(testFile);
        for (String part : PARTS) {
            other.put(part, new LinkedHashMap<>());
        }
        String[] partOf = new String[main.size()];
        for (int p = 0; p < parts.length; p++) {
            for (int i : parts[p]) {
                partOf[i] = PARTS[p];
            }
        }
        for (int i = 0; i < main.size(); i++) {
            count(main.sequence(i), positions, partOf[i]);
        }
        for (int i = 0; testFile != null && i < testFile.size(); i++) {
            count(testFile.sequence(i), testPositions, "test");
        }
    }

    /** Each of the cache's dictionary ids as its position among the categories; a text unseen in training, or "<other>", as the last. */
    private int[][] positions(SequenceCache cache) {
        int[][] out = new int[columns.size()][];
        cache.categorical().forEach((f, texts) -> {
            List<String> list = categories.byColumn().get(columns.get(f));
            Map<String, Integer> index = TextLayout.index(list);
            int unseen = list.size() - 1;
            out[f] = texts.stream().mapToInt(text -> text.equals(Categories.OTHER) ? unseen : index.getOrDefault(text, unseen)).toArray();
        });
        return out;
    }

    /** Counts a sequence's steps read as {@value Categories#OTHER}, per column, as {@link Categories#encode} does. */
    private void count(double[][] sequence, int[][] at, String part) {
        for (double[] step : sequence) {
            for (int v = 0; v < columns.size(); v++) {
                // the last position is the unseen feature's
                if (at[v] != null && at[v][(int) step[v]] == offsets[v + 1] - offsets[v] - 1) {
                    other.get(part).merge(columns.get(v), 1, Integer::sum);
                }
            }
        }
    }

    /** The sequences at {@code indices} of the main cache or the test file's, one-hot, read when asked for. */
    List<double[][]> sequences(SequenceCache cache, int[] indices) {
        int[][] at = cache == main ? positions : testPositions;
        return new SequenceCache.View<>(indices, i -> encode(cache.sequence(i), at));
    }

    private double[][] encode(double[][] sequence, int[][] at) {
        double[][] out = new double[sequence.length][offsets[columns.size()]];
        for (int t = 0; t < sequence.length; t++) {
            for (int v = 0; v < columns.size(); v++) {
                if (at[v] == null) {
                    out[t][offsets[v]] = sequence[t][v];
                } else {
                    out[t][offsets[v] + at[v][(int) sequence[t][v]]] = 1;
                }
            }
        }
        return out;
    }

    Categories categories() {
        return categories;
    }

    /** The network's features: numeric columns as they are, each categorical one as its {@code column=category} ones. */
    List<String> featureNames() {
        return categories.featureNames(columns);
    }

    /** The steps read as {@value Categories#OTHER}, per split and column, as {@code metrics.json} reports them. */
    SeriesReport report() {
        return new SeriesReport(Map.of(), List.of(), Map.of("categories_other", other));
    }
}
