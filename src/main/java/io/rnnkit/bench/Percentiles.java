package io.rnnkit.bench;

import java.util.Arrays;

/**
 * Percentiles of timings by the nearest-rank rule, the one every benchmark here reports: the p-th percentile of n
 * values is the {@code ceil(p / 100 * n)}-th smallest (1-based), and the smallest for p = 0. It is always one of the
 * values (no interpolation), so a p99 of 40 calls is the largest of them.
 */
public final class Percentiles {
    private Percentiles() {
    }

    /**
     * The 0-based index of the p-th percentile in n sorted values.
     *
     * @param n how many values, at least 1
     * @param p the percentile, 0 to 100
     */
    public static int index(int n, double p) {
        if (n < 1 || !(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " of " + n + " values");
        }
        // p * n first: exact for whole p, so 99 of 100 is rank 99, not 100 through 0.99 * 100 rounding up
        int rank = (int) Math.ceil(p * n / 100);
        return Math.max(0, rank - 1);
    }

    /** The p-th percentile (0 to 100) of values, which are left unchanged; NaN when there are none. */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[index(sorted.length, p)];
    }

    /** {@link #of(double[], double)} of whole numbers such as nanoseconds (exact as doubles below 2^53). */
    public static double of(long[] values, double p) {
        return of(Arrays.stream(values).asDoubleStream().toArray(), p);
    }
}
