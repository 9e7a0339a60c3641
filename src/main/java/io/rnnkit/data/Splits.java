package io.rnnkit.data;

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

    /**
     * The same for {@code n} items with their strata (class indices below {@code numClasses}), or null for none. In int
     * arrays (4 bytes an item, so the streaming path can split millions of sequences): each group is shuffled as
     * {@link java.util.Collections#shuffle(List, Random)} shuffles a list, so splits are those it always made.
     */
    static int[][] split(int n, int[] strata, int numClasses, double[] fractions, Random random) {
        int groupCount = strata != null ? numClasses : 1;
        int[] sizes = new int[groupCount];
        for (int i = 0; i < n; i++) {
            sizes[strata != null ? strata[i] : 0]++;
        }
        int[][] groups = new int[groupCount][];
        for (int g = 0; g < groupCount; g++) {
            groups[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            int g = strata != null ? strata[i] : 0;
            groups[g][sizes[g]++] = i;
        }
        int[][] bounds = new int[groupCount][fractions.length + 1];
        int[] partSizes = new int[fractions.length];
        for (int g = 0; g < groupCount; g++) {
            int[] group = groups[g];
            for (int i = group.length; i > 1; i--) { // Collections.shuffle's loop, over an array
                int j = random.nextInt(i);
                int swap = group[i - 1];
                group[i - 1] = group[j];
                group[j] = swap;
            }
            int start = 0;
            double cumulative = 0;
            for (int k = 0; k < fractions.length; k++) {
                cumulative += fractions[k];
                int end = k == fractions.length - 1 ? group.length : (int) Math.round(cumulative * group.length);
                bounds[g][k] = start;
                start = Math.max(start, end);
                bounds[g][k + 1] = start;
                partSizes[k] += bounds[g][k + 1] - bounds[g][k];
            }
        }
        int[][] out = new int[fractions.length][];
        for (int k = 0; k < fractions.length; k++) {
            out[k] = new int[partSizes[k]];
            int at = 0;
            for (int g = 0; g < groupCount; g++) {
                System.arraycopy(groups[g], bounds[g][k], out[k], at, bounds[g][k + 1] - bounds[g][k]);
                at += bounds[g][k + 1] - bounds[g][k];
            }
            java.util.Arrays.sort(out[k]);
        }
        return out;
    }
}
