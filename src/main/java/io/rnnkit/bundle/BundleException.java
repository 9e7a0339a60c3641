package io.rnnkit.bundle;

import io.rnnkit.BadInputException;

/** A bundle that cannot be used: not a zip, missing or tampered entries, or a format newer than this rnnkit. */
public class BundleException extends BadInputException {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
