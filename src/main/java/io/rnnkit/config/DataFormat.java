package io.rnnkit.config;

/** How the data is laid out on disk (or that rnnkit generates it). */
public enum DataFormat {
    /** One row of a delimited text file is one sequence, with an optional label column (UCI, UCR layouts). */
    ROWS,
    /** A folder with {@code features/0.csv … N.csv} (one file per sequence, one row per step) and {@code labels/} alike. */
    SEQUENCE_FILES,
    /** One long series in a CSV file with a header and a time column, cut into windows. */
    SERIES,
    /** Text, as tokens (characters or words) fed through an embedding layer ({@code data.text}). */
    TEXT,
    /** Data rnnkit generates itself from a known process ({@code data.generator}). */
    GENERATED
}
