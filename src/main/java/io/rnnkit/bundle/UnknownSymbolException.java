package io.rnnkit.bundle;

/**
 * A symbol (character or token) outside the vocabulary of a model that reads text. Raised where text is
 * encoded for such a model — the seed of {@link RnnModel#generate} and the text of a text classifier —
 * when the config's policy for unknown symbols is to refuse them; the other policies (map to an unknown
 * symbol, drop) never raise it. No topology of this rnnkit version reads text yet; the type is part of the
 * API now so that callers can catch it before those models exist.
 */
public class UnknownSymbolException extends ModelInputException {
    private final String symbol;
    private final int position;

    /** @param position index of the symbol in the text, from 0 */
    public UnknownSymbolException(int sequenceIndex, String symbol, int position) {
        super(sequenceIndex, "symbol '" + symbol + "' at position " + position + " is not in the model's vocabulary");
        this.symbol = symbol;
        this.position = position;
    }

    public String symbol() {
        return symbol;
    }

    public int position() {
        return position;
    }
}
