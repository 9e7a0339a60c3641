package io.rnnkit.config;

/** What to do with series rows that are out of time order. */
public enum TimeOrder {
    /** A fault naming the first line whose time is earlier than the line before. */
    REFUSE,
    /** Rows are sorted by time (stably, so rows with the same time keep their file order). */
    SORT
}
