package io.rnnkit.config;

/** What a token of text is. */
public enum TextUnit {
    CHARACTER,
    /** Runs of letters, digits and apostrophes; every other non-space character is a token of its own. */
    WORD
}
