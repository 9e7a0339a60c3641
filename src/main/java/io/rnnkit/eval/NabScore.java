package io.rnnkit.eval;

import java.util.List;

/**
 * The Numenta Anomaly Benchmark's score of a detector's alarms on one series (Lavin &amp; Ahmad 2015, "Evaluating
 * real-time anomaly detection algorithms — the Numenta Anomaly Benchmark"), as NAB's own scorer
 * ({@code nab/sweeper.py}) computes it for the standard profile: {@code A_tp = 1}, {@code A_fp = 0.11},
 * {@code A_fn = 1}.
 *
 * <p>With windows {@code [l, r]} (inclusive steps) of width {@code w = r − l + 1} and the scaled sigmoid
 * {@code σ(x) = 2 / (1 + e^{5x}) − 1} ({@code σ(x) = −1} for {@code x ≥ 3}):
 * <ul>
 *   <li>an alarm at step {@code i} inside a window scores {@code A_tp · σ(−(r − i + 1) / w) / σ(−1)}: 1 at the
 *       window's first step, falling to about 0 at its end; a window scores its best (so its earliest) alarm only;</li>
 *   <li>an alarm outside every window scores {@code A_fp · σ((i − r') / (w' − 1))}, with {@code r'} and {@code w'} the
 *       end and width of the last window before it (a negative amount, down to {@code −A_fp}; {@code −A_fp} when no
 *       window lies before it): an alarm just after a window costs little, one far from any costs {@code A_fp};</li>
 *   <li>a window without an alarm scores {@code −A_fn}.</li>
 * </ul>
 * The raw score {@code S} is the sum of these; it is normalized between the null detector (no alarm: {@code S_null =
 * −A_fn · W}) and the perfect one (an alarm at each window's first step: {@code S_perfect = A_tp · W}):
 * {@code 100 · (S − S_null) / (S_perfect − S_null)}, so no alarm scores 0 and perfect alarms 100.
 *
 * <p>NAB's probationary period, the first {@code min(⌊p·n⌋, 5000·p)} steps ({@code p = 0.15}), is not scored:
 * alarms in it are ignored, and windows that end in it are not counted. Windows are counted per series here (NAB
 * sums over its corpus before normalizing). An alarm is what a detector raises: rnnkit raises one at the first
 * step of each event ({@link io.rnnkit.bundle.AnomalyCalibration.Event}).
 */
public final class NabScore {
    /** The standard profile's weights. */
    public static final double A_TP = 1;
    public static final double A_FP = 0.11;
    public static final double A_FN = 1;

    private NabScore() {
    }

    /** The raw and normalized score, and the windows counted. */
    public record Result(double raw, double normalized, int windows) {
    }

    /** NAB's scaled sigmoid of a relative position. */
    static double scaledSigmoid(double position) {
        return position >= 3 ? -1 : 2 / (1 + Math.exp(5 * position)) - 1;
    }

    /** Steps at the start of a series of {@code n} steps that NAB does not score. */
    public static int probationLength(int n, double fraction) {
        return (int) Math.min(Math.floor(fraction * n), fraction * 5000);
    }

    /**
     * @param alarms  the steps at which the detector raised an alarm, ascending
     * @param windows the labelled windows {@code {first, last}} as steps, ascending and disjoint
     */
    public static Result score(List<Integer> alarms, int[][] windows, int probation) {
        double maxTp = scaledSigmoid(-1);
        int counted = 0;
        double raw = 0;
        double[] best = new double[windows.length];
        boolean[] hit = new boolean[windows.length];
        for (int alarm : alarms) {
            if (alarm < probation) {
                continue;
            }
            int inside = -1;
            int before = -1;
            for (int w = 0; w < windows.length; w++) {
                if (alarm >= windows[w][0] && alarm <= windows[w][1]) {
                    inside = w;
                } else if (windows[w][1] < alarm) {
                    before = w;
                }
            }
            if (inside >= 0) {
                double width = windows[inside][1] - windows[inside][0] + 1;
                double s = A_TP * scaledSigmoid(-(windows[inside][1] - alarm + 1) / width) / maxTp;
                best[inside] = hit[inside] ? Math.max(best[inside], s) : s;
                hit[inside] = true;
            } else {
                double position = before < 0 ? 3 : (alarm - windows[before][1])
                        / Math.max(1.0, windows[before][1] - windows[before][0]);
                raw += A_FP * scaledSigmoid(position);
            }
        }
        for (int w = 0; w < windows.length; w++) {
            if (windows[w][1] < probation) {
                continue;
            }
            counted++;
            raw += hit[w] ? best[w] : -A_FN;
        }
        double nullScore = -A_FN * counted;
        double perfect = A_TP * counted;
        double normalized = counted == 0 ? Double.NaN : 100 * (raw - nullScore) / (perfect - nullScore);
        return new Result(raw, normalized, counted);
    }
}
