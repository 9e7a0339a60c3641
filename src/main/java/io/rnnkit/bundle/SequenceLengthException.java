package io.rnnkit.bundle;

/**
 * A sequence of a length the model cannot take: empty, not the one length a fixed-length model was trained
 * on, or a forecast history shorter than the model's lookback.
 */
public class SequenceLengthException extends ModelInputException {
    public SequenceLengthException(int sequenceIndex, String detail) {
        super(sequenceIndex, detail);
    }
}
