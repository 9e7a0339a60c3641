package io.rnnkit.bundle;

/**
 * A NaN or infinite input value. Rejected rather than passed on because the network would turn it into NaN
 * outputs (or, worse, a confident class) without a word: missing values must be filled in by the caller.
 */
public class NonFiniteInputException extends ModelInputException {
    public NonFiniteInputException(int sequenceIndex, String detail) {
        super(sequenceIndex, detail);
    }
}
