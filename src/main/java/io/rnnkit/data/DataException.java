package io.rnnkit.data;

import io.rnnkit.BadInputException;

import java.nio.file.Path;

/** Data that cannot be used as given; the message names the file and line (or the YAML path) and what was expected. */
public class DataException extends BadInputException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A fault on one line of one file, with lines counted from 1 as editors do. */
    public static DataException at(Path file, long line, String message) {
        return new DataException(file + ":" + line + ": " + message);
    }
}
