package io.rnnkit.config;

/** Where the class of each row comes from in the {@code rows} layout. */
public enum LabelSource {
    /** The first value of the row (the UCR archive's layout). */
    FIRST_COLUMN,
    /** The last value of the row. */
    LAST_COLUMN,
    /** Consecutive blocks of {@code blockSize} rows share a class, in the order of {@code classes} (UCI synthetic control). */
    ROW_BLOCKS
}
