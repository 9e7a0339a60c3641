package io.rnnkit.bundle;

import io.rnnkit.BadInputException;

/**
 * Input a model cannot take, found before anything is computed. In a call with many sequences the message
 * starts with the index of the first bad one ({@code sequence 3: …}), and {@link #sequenceIndex()} gives it,
 * so that a caller reading from a file can name the line instead.
 */
public class ModelInputException extends BadInputException {
    private final int sequenceIndex;
    private final String detail;

    /** @param sequenceIndex index of the bad sequence in a batch call, or -1 for a call with one sequence */
    public ModelInputException(int sequenceIndex, String detail) {
        super(sequenceIndex < 0 ? detail : "sequence " + sequenceIndex + ": " + detail);
        this.sequenceIndex = sequenceIndex;
        this.detail = detail;
    }

    /** Index of the bad sequence in a batch call; -1 for a call with one sequence or one stream step. */
    public int sequenceIndex() {
        return sequenceIndex;
    }

    /** What is wrong, without the sequence index. */
    public String detail() {
        return detail;
    }
}
