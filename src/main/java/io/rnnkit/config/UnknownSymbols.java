package io.rnnkit.config;

/** What to do with a source symbol the training data never showed (sequence to sequence). */
public enum UnknownSymbols {
    /** Refuse the line, naming the symbol and where it is. */
    REJECT,
    /** Read it as the unknown symbol {@code <unk>}, which the network has a place for. */
    UNKNOWN
}
