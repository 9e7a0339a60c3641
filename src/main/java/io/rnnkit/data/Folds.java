package io.rnnkit.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded K-fold assignment for cross-validation: every sequence in exactly one validation fold. For classification
 * each class (a sequence's {@link SequenceSet#stratum stratum}) is shuffled and dealt round the folds, the deal going on
 * from where the previous class stopped, so each fold holds each class's share to within one sequence and the folds'
 * sizes differ by at most one. The same sequences and seed always give the same folds.
 */
public final class Folds {
    private final int[] foldOf;
    private final int k;

    private Folds(int[] foldOf, int k) {
        this.foldOf = foldOf;
        this.k = k;
    }

    /**
     * @param numClasses the number of classes for stratified folds (classification), 0 for plain folds
     * @throws IllegalArgumentException when there are fewer sequences than folds
     */
    public static Folds of(SequenceSet set, int k, int numClasses, long seed) {
        int[] strata = new int[set.size()];
        if (numClasses > 0 && set.isClassification()) {
            for (int i = 0; i < strata.length; i++) {
                strata[i] = set.stratum(i, numClasses);
            }
        }
        return of(strata, Math.max(numClasses, 1), k, seed);
    }

    /** The same for items with their strata (below {@code numStrata}; all 0 for plain folds). */
    static Folds of(int[] strata, int numStrata, int k, long seed) {
        if (k < 2 || strata.length < k) {
            throw new IllegalArgumentException(k + " folds of " + strata.length + " sequences: need at least 2 folds and one sequence per fold");
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int c = 0; c < numStrata; c++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < strata.length; i++) {
            groups.get(strata[i]).add(i);
        }
        Random random = new Random(seed);
        int[] foldOf = new int[strata.length];
        int next = 0;
        for (List<Integer> group : groups) {
            Collections.shuffle(group, random);
            for (int i : group) {
                foldOf[i] = next;
                next = (next + 1) % k;
            }
        }
        return new Folds(foldOf, k);
    }

    public int count() {
        return k;
    }

    /** The fold whose validation set holds sequence i. */
    public int foldOf(int i) {
        return foldOf[i];
    }

    /** Fold f's validation indices, ascending. */
    public int[] validation(int f) {
        return java.util.stream.IntStream.range(0, foldOf.length).filter(i -> foldOf[i] == f).toArray();
    }

    /** Fold f's training indices (every other fold's), ascending. */
    public int[] training(int f) {
        return java.util.stream.IntStream.range(0, foldOf.length).filter(i -> foldOf[i] != f).toArray();
    }
}
