package io.rnnkit.config;

/** What to do with a column's values when series rows share a time. */
public enum DuplicatePolicy {
    /** A fault naming the repeated line. */
    REFUSE,
    /** Keep the numbers of the first row in file order. */
    FIRST,
    /** Keep the numbers of the last row in file order. */
    LAST,
    /** The mean of each number over the rows (missing values left out; all missing stays missing). */
    MEAN,
    /** A categorical column: every value of the rows, as a multi-hot step. */
    ANY
}
