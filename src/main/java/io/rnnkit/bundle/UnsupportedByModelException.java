package io.rnnkit.bundle;

import io.rnnkit.BadInputException;

/**
 * An operation the loaded model cannot perform, with a message naming its topology and kind and what to call
 * instead: {@code classify} on a regression model, {@code forecast} on a model not trained on series
 * windows, {@code generate} on a model that does not generate, a stream on a bidirectional model. A
 * {@link BadInputException} because on the command line it is the choice of model that is wrong (exit 2).
 */
public class UnsupportedByModelException extends BadInputException {
    public UnsupportedByModelException(String message) {
        super(message);
    }
}
