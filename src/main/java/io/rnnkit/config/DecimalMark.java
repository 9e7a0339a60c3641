package io.rnnkit.config;

/** How a data file writes the fraction of a number. */
public enum DecimalMark {
    /** {@code 2.6}: the C and English convention. */
    POINT('.'),
    /** {@code 2,6}: most of continental Europe (then the values are usually separated by semicolons). */
    COMMA(',');

    private final char character;

    DecimalMark(char character) {
        this.character = character;
    }

    public char character() {
        return character;
    }
}
