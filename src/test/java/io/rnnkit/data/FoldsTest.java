package io.rnnkit.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cross-validation's folds: every sequence validated exactly once, each class shared evenly, the same folds for the same seed. */
class FoldsTest {
    /** 100 sequences of classes 0 (67 of them, as ECG200's training file has 69/31-like shares) and 1 (33). */
    private static SequenceSet unbalanced() {
        List<double[][]> sequences = new ArrayList<>();
        int[] classes = new int[100];
        for (int i = 0; i < 100; i++) {
            sequences.add(new double[][]{{i}});
            classes[i] = i % 3 == 0 ? 1 : 0;
        }
        return SequenceSet.classified(sequences, classes);
    }

    @Test
    void everySequenceIsInExactlyOneValidationFold() {
        Folds folds = Folds.of(unbalanced(), 5, 2, 42);
        int[] seen = new int[100];
        for (int f = 0; f < 5; f++) {
            int[] validation = folds.validation(f);
            int[] training = folds.training(f);
            assertEquals(100, validation.length + training.length);
            for (int i : validation) {
                seen[i]++;
                assertFalse(Arrays.stream(training).anyMatch(t -> t == i), "sequence " + i + " trains and validates in fold " + f);
            }
        }
        int[] once = new int[100];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen);
    }

    @Test
    void eachFoldHoldsEachClassShareToWithinOne() {
        SequenceSet set = unbalanced();
        int[] total = set.classCounts(2); // 66 and 34
        Folds folds = Folds.of(set, 5, 2, 7);
        int sizeMin = Integer.MAX_VALUE;
        int sizeMax = 0;
        for (int f = 0; f < 5; f++) {
            int[] counts = set.subset(folds.validation(f)).classCounts(2);
            for (int c = 0; c < 2; c++) {
                assertTrue(Math.abs(counts[c] - total[c] / 5.0) < 1, "fold " + f + " class " + c + ": " + counts[c] + " of " + total[c]);
            }
            sizeMin = Math.min(sizeMin, folds.validation(f).length);
            sizeMax = Math.max(sizeMax, folds.validation(f).length);
        }
        assertTrue(sizeMax - sizeMin <= 1, "fold sizes " + sizeMin + "–" + sizeMax);
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        SequenceSet set = unbalanced();
        int[] a = assignment(Folds.of(set, 5, 2, 42), 100);
        assertArrayEquals(a, assignment(Folds.of(set, 5, 2, 42), 100));
        assertFalse(Arrays.equals(a, assignment(Folds.of(set, 5, 2, 43), 100)));
    }

    @Test
    void plainFoldsForRegressionAndTooFewSequencesRefused() {
        List<double[][]> sequences = new ArrayList<>();
        double[][] targets = new double[10][];
        for (int i = 0; i < 10; i++) {
            sequences.add(new double[][]{{i}});
            targets[i] = new double[]{i};
        }
        SequenceSet set = SequenceSet.regressed(sequences, targets);
        Folds folds = Folds.of(set, 3, 0, 1);
        assertEquals(10, folds.validation(0).length + folds.validation(1).length + folds.validation(2).length);
        assertThrows(IllegalArgumentException.class, () -> Folds.of(set, 11, 0, 1));
    }

    private static int[] assignment(Folds folds, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = folds.foldOf(i);
        }
        return out;
    }
}
