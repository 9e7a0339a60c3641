package io.rnnkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded random splits of a set of sequences, stratified by class when asked. */
final class Splits {
    private Splits() {
    }

    /**
     * Index sets for each fraction (they must sum to 1). Stratified: each class is divided separately, so every
     * split keeps the class proportions; the last split takes what rounding leaves.
     */
    static int[][] split(SequenceSet set, double[] fractions, boolean stratify, int numClasses, Random random) {
        int[] strata = null;
        if (stratify && set.isClassification()) {
            strata = new int[set.size()];
            for (int i = 0; i < set.size(); i++) {
                strata[i] = set.stratum(i, numClasses);
            }
        }
        return split(set.size(), strata, numClasses, fractions, random);
    }

    /** The same for {@code n} items with their strata (class indices below {@code numClasses}), or null for none. */
    static int[][] split(int n, int[] strata, int numClasses, double[] fractions, Random random) {
        List<List<Integer>> groups = new ArrayList<>();
        if (strata != null) {
            for (int c = 0; c < numClasses; c++) {
                groups.add(new ArrayList<>());
            }
            for (int i = 0; i < n; i++) {
                groups.get(strata[i]).add(i);
            }
        } else {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            groups.add(all);
        }
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k < fractions.length; k++) {
            parts.add(new ArrayList<>());
        }
        for (List<Integer> group : groups) {
            Collections.shuffle(group, random);
            int start = 0;
            double cumulative = 0;
            for (int k = 0; k < fractions.length; k++) {
                cumulative += fractions[k];
                int end = k == fractions.length - 1 ? group.size() : (int) Math.round(cumulative * group.size());
                parts.get(k).addAll(group.subList(start, Math.max(start, end)));
                start = Math.max(start, end);
            }
        }
        int[][] out = new int[fractions.length][];
        for (int k = 0; k < fractions.length; k++) {
            List<Integer> part = parts.get(k);
            Collections.sort(part);
            out[k] = part.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
