package io.rnnkit;

/**
 * Bad input from the user: a config, a data file, an argument or a bundle that cannot be used as given.
 * The message is meant for people and already names the file, line or YAML path and what was expected;
 * the command line maps it to exit code 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
