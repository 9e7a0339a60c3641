package io.rnnkit;

import java.nio.file.Path;

/**
 * An output that cannot be written: an unwritable path, a full disk, a directory where a file should go. Exit 2
 * like other bad input, since the cure is the user's (another path, free space), with the file and the system's reason.
 */
public class OutputException extends BadInputException {
    private final transient Path path;

    public OutputException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The file that could not be written. */
    public Path path() {
        return path;
    }
}
