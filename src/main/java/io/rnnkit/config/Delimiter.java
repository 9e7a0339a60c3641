package io.rnnkit.config;

/** What separates values on a line. */
public enum Delimiter {
    /** Any run of spaces and tabs (the UCI and UCR archives' padded layouts). */
    WHITESPACE(null),
    COMMA(','),
    TAB('\t'),
    SEMICOLON(';');

    private final Character character;

    Delimiter(Character character) {
        this.character = character;
    }

    /** The single separating character, or null for runs of whitespace. */
    public Character character() {
        return character;
    }
}
