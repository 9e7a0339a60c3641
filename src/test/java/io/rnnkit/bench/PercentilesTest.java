package io.rnnkit.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    /** 1..n in a seeded shuffled order, so the helper has to sort. */
    private static double[] shuffled(int n) {
        List<Integer> v = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
        Collections.shuffle(v, new Random(n));
        return v.stream().mapToDouble(Integer::doubleValue).toArray();
    }

    @Test
    void nearestRankOfHandComputedCases() {
        // n = 1: every percentile is the one value
        assertEquals(7.0, Percentiles.of(new double[] {7}, 50));
        assertEquals(7.0, Percentiles.of(new double[] {7}, 99));
        assertEquals(7.0, Percentiles.of(new double[] {7}, 0));
        // n = 40: p50 is rank ceil(20) = 20, p99 rank ceil(39.6) = 40 (floor(p*n) would give 21 for p50)
        assertEquals(20.0, Percentiles.of(shuffled(40), 50));
        assertEquals(40.0, Percentiles.of(shuffled(40), 99));
        // n = 100: p50 rank 50, p99 rank 99 (floor(p*n) would give 51 and 100), p0 the smallest, p100 the largest
        double[] hundred = shuffled(100);
        assertEquals(50.0, Percentiles.of(hundred, 50));
        assertEquals(99.0, Percentiles.of(hundred, 99));
        assertEquals(90.0, Percentiles.of(hundred, 90));
        assertEquals(1.0, Percentiles.of(hundred, 0));
        assertEquals(100.0, Percentiles.of(hundred, 100));
    }

    @Test
    void longsFollowTheSameRuleAndInputsStayUnsorted() {
        double[] d = shuffled(40);
        double[] before = d.clone();
        long[] l = Arrays.stream(d).mapToLong(v -> (long) v).toArray();
        long[] lBefore = l.clone();
        assertEquals(20.0, Percentiles.of(l, 50));
        assertEquals(40.0, Percentiles.of(l, 99));
        Percentiles.of(d, 50);
        assertArrayEquals(before, d);
        assertArrayEquals(lBefore, l);
    }

    @Test
    void recurrentBenchmarkUsesTheSameRule() {
        List<Double> hundred = Arrays.stream(shuffled(100)).boxed().toList();
        assertEquals(50.0, RecurrentBenchmark.percentile(hundred, 50));
        assertEquals(99.0, RecurrentBenchmark.percentile(hundred, 99));
    }

    @Test
    void emptyIsNaNAndBadArgumentsAreRefused() {
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 50)));
        assertTrue(Double.isNaN(Percentiles.of(new long[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.index(10, 101));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.index(10, -1));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.index(0, 50));
    }
}
