package io.rnnkit.config;

@Doc("How an anomaly detector (task.kind: anomaly) scores, thresholds and groups the steps of a series.")
public record AnomalyConfig(
        @Doc("Steps each score is averaged over (a trailing mean, so a live stream scores the same); 1: no smoothing.")
        @Default("1") @Range(min = 1, max = 10000) int smoothing,
        @Doc("How the threshold is chosen on the training part, without labels: quantile (of its scores) or false-alarm-rate (events it may raise).")
        @Default("quantile") ThresholdRule threshold,
        @Doc("With threshold: quantile, the share of the training part's scores below the threshold.")
        @Default("0.99") @Range(min = 0, max = 1, minExclusive = true, maxExclusive = true) double quantile,
        @Doc("With threshold: false-alarm-rate, the events per 1000 steps the training part may raise at the threshold.")
        @Default("1") @Range(min = 0) double falseAlarms,
        @Doc("Unflagged steps needed between two events: flagged steps closer than this are merged into one event.")
        @Default("1") @Range(min = 1) int minGap,
        @Doc("NAB's probationary period: this fraction of the series (at most 5000 × it steps) at its start, where alarms and windows are not scored.")
        @Default("0.15") @Range(min = 0, max = 1, maxExclusive = true) double probation,
        @Doc("Also train a second detector only on steps outside the labelled windows (data.labels.windows), reported apart under semiSupervised; the saved model stays the unsupervised one.")
        @Default("false") boolean semiSupervised) {
    public AnomalyConfig {
        Constraints.check(AnomalyConfig.class, smoothing, threshold, quantile, falseAlarms, minGap, probation, semiSupervised);
    }

    /** The section as it reads when absent ({@code task.anomaly: {}}); AnomalyConfigTest keeps it equal to the defaults above. */
    static final AnomalyConfig DEFAULTS = new AnomalyConfig(1, ThresholdRule.QUANTILE, 0.99, 1, 1, 0.15, false);
}
