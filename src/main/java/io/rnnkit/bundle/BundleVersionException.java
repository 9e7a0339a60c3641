package io.rnnkit.bundle;

/** A bundle written in a format version newer than this rnnkit reads: the cure is a newer rnnkit, not a new bundle. */
public class BundleVersionException extends BundleException {
    private final int found;

    public BundleVersionException(String source, int found) {
        super(source + ": bundle format version " + found + " is newer than this rnnkit reads (" + Bundle.FORMAT_VERSION
                + "); upgrade rnnkit to load it");
        this.found = found;
    }

    /** The format version the bundle declares. */
    public int found() {
        return found;
    }
}
