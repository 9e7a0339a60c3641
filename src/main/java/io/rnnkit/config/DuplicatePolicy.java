package io.rnnkit.config;

/** What to do with series rows that share a time. */
public enum DuplicatePolicy {
    /** A fault naming the repeated line. */
    REFUSE,
    /** Keep the numbers of the first row in file order. */
    FIRST,
    /** Keep the numbers of the last row in file order. */
    LAST,
    /** The mean of each number over the rows. */
    MEAN
}
