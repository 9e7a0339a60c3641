package io.rnnkit.bundle;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.rnnkit.config.AnomalyConfig;
import io.rnnkit.config.ThresholdRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How an anomaly detector turns the errors of its one-step forecasts into scores, flags and events: the
 * statistics and threshold fitted on the training part of its series, without labels, saved in the bundle as
 * {@value BundleFormat#ANOMALY}. With {@code e_t = y_t − ŷ_t} the error of the forecast of step t's target (NaN
 * where no forecast is made, such as the first {@code lookback} steps):
 * <pre>
 *   z_t = |e_t − μ| / σ                      μ, σ: mean and standard deviation of e over the training part
 *   s_t = mean of the z among z_{t−k+1..t}    k = smoothing; a trailing mean, so a live stream scores the same
 *   step t is flagged when s_t &gt; threshold   the threshold: a quantile of the training part's s, or the lowest
 *                                            at which it raises at most a given number of events per 1000 steps
 * </pre>
 * and flagged steps fewer than {@code minGap} unflagged steps apart are one event. The simple detectors a run
 * compares with (persistence, rolling z-score) put their own errors through the same steps.
 *
 * @param errorMean μ
 * @param errorStd  σ, positive
 * @param smoothing k, at least 1
 * @param threshold the score above which a step is flagged
 * @param minGap    unflagged steps that separate two events, at least 1
 */
public record AnomalyCalibration(double errorMean, double errorStd, int smoothing, double threshold, int minGap) {
    /** σ of a training part whose errors are all equal: any other error then scores as far beyond the threshold. */
    private static final double TINY = 1e-12;

    public AnomalyCalibration {
        if (!Double.isFinite(errorMean) || !(errorStd > 0) || !Double.isFinite(errorStd) || smoothing < 1
                || !Double.isFinite(threshold) || threshold < 0 || minGap < 1) {
            throw new IllegalArgumentException("an anomaly calibration needs a finite error mean, a positive finite error standard deviation,"
                    + " smoothing ≥ 1, a finite threshold ≥ 0 and minGap ≥ 1; got mean " + errorMean + ", std " + errorStd + ", smoothing "
                    + smoothing + ", threshold " + threshold + ", minGap " + minGap);
        }
    }

    /** A flagged run: its first and last step (inclusive) and its highest score. */
    public record Event(int start, int end, double peak) {
        public int length() {
            return end - start + 1;
        }
    }

    /**
     * Fits the calibration on the errors of steps {@code [0, trainEnd)} (NaN: no forecast there), as
     * {@code anomaly} asks.
     */
    public static AnomalyCalibration fit(double[] errors, int trainEnd, AnomalyConfig anomaly) {
        double sum = 0;
        int n = 0;
        for (int t = 0; t < trainEnd; t++) {
            if (!Double.isNaN(errors[t])) {
                sum += errors[t];
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("the training part holds " + n + " forecast error(s); the calibration needs at least 2");
        }
        double mean = sum / n;
        double squares = 0;
        for (int t = 0; t < trainEnd; t++) {
            if (!Double.isNaN(errors[t])) {
                squares += (errors[t] - mean) * (errors[t] - mean);
            }
        }
        double std = Math.max(Math.sqrt(squares / (n - 1)), TINY);
        double[] scores = new AnomalyCalibration(mean, std, anomaly.smoothing(), 0, anomaly.minGap()).scores(errors);
        double[] training = Arrays.stream(Arrays.copyOf(scores, trainEnd)).filter(s -> !Double.isNaN(s)).toArray();
        double threshold = anomaly.threshold() == ThresholdRule.QUANTILE ? quantile(training, anomaly.quantile())
                : falseAlarmThreshold(training, anomaly.falseAlarms() * training.length / 1000, anomaly.minGap());
        return new AnomalyCalibration(mean, std, anomaly.smoothing(), threshold, anomaly.minGap());
    }

    /** Scores every step from its error (NaN in, NaN out where no error of the smoothing span is known). */
    public double[] scores(double[] errors) {
        Scorer scorer = scorer();
        double[] out = new double[errors.length];
        for (int t = 0; t < errors.length; t++) {
            out[t] = scorer.next(errors[t]);
        }
        return out;
    }

    /** Which steps score above the threshold (a NaN score is never flagged). */
    public boolean[] flags(double[] scores) {
        boolean[] out = new boolean[scores.length];
        for (int t = 0; t < scores.length; t++) {
            out[t] = scores[t] > threshold;
        }
        return out;
    }

    /** The events of flagged steps, merged as {@link #minGap} says. */
    public List<Event> events(double[] scores) {
        return events(flags(scores), scores, minGap);
    }

    /** Scores one step at a time, keeping the last {@code smoothing} standardized errors; the batch {@link #scores} uses one too. */
    @JsonIgnore
    public Scorer scorer() {
        return new Scorer(this);
    }

    /** The trailing-mean state of one series: what a stream holds besides its window. */
    public static final class Scorer {
        private final AnomalyCalibration calibration;
        private final double[] recent;
        private int seen;

        private Scorer(AnomalyCalibration calibration) {
            this.calibration = calibration;
            this.recent = new double[calibration.smoothing];
        }

        /** The score of the next step from its error (NaN: no forecast for it). */
        public double next(double error) {
            recent[seen % recent.length] = Math.abs(error - calibration.errorMean) / calibration.errorStd;
            seen++;
            double sum = 0;
            int known = 0;
            for (int i = 0; i < Math.min(seen, recent.length); i++) {
                if (!Double.isNaN(recent[i])) {
                    sum += recent[i];
                    known++;
                }
            }
            return known == 0 ? Double.NaN : sum / known;
        }
    }

    /**
     * Flagged steps as events: a run of flags, joined with the next when fewer than {@code minGap} unflagged steps
     * lie between them.
     */
    public static List<Event> events(boolean[] flags, double[] scores, int minGap) {
        List<Event> out = new ArrayList<>();
        int start = -1;
        int end = -1;
        double peak = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < flags.length; t++) {
            if (!flags[t]) {
                continue;
            }
            if (start >= 0 && t - end - 1 >= minGap) {
                out.add(new Event(start, end, peak));
                start = -1;
            }
            if (start < 0) {
                start = t;
                peak = Double.NEGATIVE_INFINITY;
            }
            end = t;
            peak = Math.max(peak, scores[t]);
        }
        if (start >= 0) {
            out.add(new Event(start, end, peak));
        }
        return out;
    }

    /** The value below which a share {@code q} of {@code values} lies: the order statistic at ⌈q·n⌉ (1-based). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * The lowest threshold, among the training scores, at which the training part raises at most {@code budget}
     * events. Thresholds are lowered one distinct score at a time from the highest (zero events), flagging the
     * steps of that score, until the next would exceed the budget; events can split or merge as the threshold
     * falls, so the count is followed, not bisected. A step flagged joins the events of flagged steps fewer than
     * {@code minGap} unflagged steps away on either side: one event more, or one fewer when it bridges two.
     */
    static double falseAlarmThreshold(double[] training, double budget, int minGap) {
        Integer[] order = new Integer[training.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(training[b], training[a]));
        java.util.TreeSet<Integer> flagged = new java.util.TreeSet<>();
        int events = 0;
        double chosen = training[order[0]];
        for (int k = 0; k < order.length; ) {
            double score = training[order[k]];
            // the threshold just below this score flags every step of it; the one at it flags only those above
            int tie = k;
            while (tie < order.length && training[order[tie]] == score) {
                int i = order[tie++];
                Integer left = flagged.lower(i);
                Integer right = flagged.higher(i);
                boolean joinsLeft = left != null && i - left - 1 < minGap;
                boolean joinsRight = right != null && right - i - 1 < minGap;
                boolean wereOne = left != null && right != null && right - left - 1 < minGap;
                events += 1 - (joinsLeft ? 1 : 0) - (joinsRight ? 1 : 0) + (joinsLeft && joinsRight && wereOne ? 1 : 0);
                flagged.add(i);
            }
            if (tie >= order.length) {
                break; // every step flagged needs a threshold below the lowest score, which is no training score
            }
            if (events > budget) {
                break;
            }
            chosen = training[order[tie]];
            k = tie;
        }
        return chosen;
    }
}
