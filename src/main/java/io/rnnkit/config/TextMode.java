package io.rnnkit.config;

/** How text is cut into sequences. */
public enum TextMode {
    /** Every non-empty line is a sequence (names, sentences); generation starts and ends each at a boundary token. */
    LINES,
    /** The file is one stream of tokens cut into consecutive chunks of {@code sequenceLength} (books, logs). */
    STREAM
}
