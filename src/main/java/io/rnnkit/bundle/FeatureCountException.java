package io.rnnkit.bundle;

/** A time step with another number of values than the model reads per step. */
public class FeatureCountException extends ModelInputException {
    public FeatureCountException(int sequenceIndex, String detail) {
        super(sequenceIndex, detail);
    }
}
