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
    GENERATED,
    /** sktime's {@code .ts} file of the UEA/UCR archive: {@code @} header, one case a line, dimensions split by {@code :}, label last. */
    TS,
    /** Weka's {@code .arff} file as the UEA/UCR archive writes it: numeric attributes, or one relational attribute (multivariate), class last. */
    ARFF;

    /**
     * Whether every sequence of this layout has the same length, so that a model trained on it has only ever
     * seen that length and should be given no other: rows hold equally many values, series are cut into
     * windows of one lookback, generated sequences share one length. Sequence files, lines of text and the
     * archive formats (whose files declare equal or unequal lengths) may differ in length.
     */
    public boolean fixedLength() {
        return this != SEQUENCE_FILES && this != TEXT && this != TS && this != ARFF;
    }
}
