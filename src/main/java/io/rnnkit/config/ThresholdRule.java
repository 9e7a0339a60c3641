package io.rnnkit.config;

/** How an anomaly detector's threshold is chosen on the training part of a series, without its labels. */
public enum ThresholdRule {
    /** The {@code task.anomaly.quantile} of the training part's scores: that share of its steps stays below. */
    QUANTILE,
    /** The lowest threshold at which the training part raises at most {@code task.anomaly.falseAlarms} events per 1000 steps. */
    FALSE_ALARM_RATE
}
