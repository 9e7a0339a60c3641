package io.rnnkit.config;

/** Over which values a series normalizer's statistics are fitted when a file holds many series (data.series.idColumns). */
public enum NormalizerScope {
    /** One set of statistics over the training parts of every series. */
    GLOBAL,
    /** Statistics per series, over its own training part: series of very different sizes reach the network on one scale. */
    PER_SERIES
}
