package io.rnnkit.bundle;

/**
 * A bundle whose bytes are not what was written: not a zip, a truncated zip, an entry missing, added, or
 * failing its SHA-256 check against the manifest. Loading stops before any of it is used.
 */
public class BundleIntegrityException extends BundleException {
    public BundleIntegrityException(String message) {
        super(message);
    }

    public BundleIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
