package io.rnnkit.config;

/** What becomes of a missing value in a series column. */
public enum MissingPolicy {
    /** Drop every window whose inputs hold a missing value of the column. */
    DROP,
    /** The last value seen before it (the training mean before the first one). */
    FORWARD_FILL,
    /** Linear interpolation between the observations either side; a window that would read past its own end to do so is dropped. */
    LINEAR,
    /** The training mean, plus a 0/1 feature {@code <column>_missing} saying where a value was missing. */
    MASK
}
