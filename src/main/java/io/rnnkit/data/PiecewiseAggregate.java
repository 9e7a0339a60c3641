package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code data.segments}: piecewise aggregate approximation (Keogh et al. 2001). A sequence of {@code n} steps
 * becomes {@code m} steps, step {@code j} the mean of each feature over the span {@code [j·n/m, (j+1)·n/m)} of
 * the original steps; a step cut by a span's edge counts in both spans by the share inside each, so any
 * {@code n ≥ m} works (251 values, 25 segments: 10.04 values each) and the mean of the whole is kept.
 */
final class PiecewiseAggregate {
    private PiecewiseAggregate() {
    }

    /** The sequences of {@code raw}, each as {@code segments} steps; labels and origins as they were. */
    static RawSequences apply(RawSequences raw, int segments) {
        if (segments == 0) {
            return raw;
        }
        List<double[][]> out = new ArrayList<>(raw.sequences().size());
        for (int i = 0; i < raw.sequences().size(); i++) {
            out.add(of(raw.sequences().get(i), segments, raw.origins().get(i).at(0)));
        }
        return new RawSequences(out, raw.labels(), raw.origins(), raw.perStep());
    }

    /** One sequence as {@code segments} steps (as is for 0); one shorter than that is refused, naming {@code origin}. */
    static double[][] of(double[][] sequence, int segments, String origin) {
        if (segments == 0) {
            return sequence;
        }
        if (sequence.length < segments) {
            throw new DataException(origin + ": " + sequence.length + " steps, fewer than data.segments = "
                    + segments + " (each segment averages one step or more); lower data.segments");
        }
        return of(sequence, segments);
    }

    /** One sequence {@code [n][features]} as {@code [segments][features]}. */
    static double[][] of(double[][] sequence, int segments) {
        int n = sequence.length;
        int width = n == 0 ? 0 : sequence[0].length;
        double[][] out = new double[segments][width];
        for (int j = 0; j < segments; j++) {
            // the span in units of original steps, exact as fractions of n: [j·n, (j+1)·n) / segments
            long from = (long) j * n;
            long to = (long) (j + 1) * n;
            for (int t = (int) (from / segments); t < n && (long) t * segments < to; t++) {
                long overlap = Math.min(to, (long) (t + 1) * segments) - Math.max(from, (long) t * segments);
                for (int f = 0; f < width; f++) {
                    out[j][f] += overlap * sequence[t][f];
                }
            }
            for (int f = 0; f < width; f++) {
                out[j][f] /= n; // the span's overlaps add up to n
            }
        }
        return out;
    }
}
