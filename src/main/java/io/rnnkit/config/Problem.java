package io.rnnkit.config;

/**
 * One thing wrong with a configuration: where it is (file and line, or the command-line override) and
 * the YAML path of the field, and what was expected.
 *
 * @param location file and line ({@code configs/x.yaml:12}) or {@code --set} for a command-line override
 * @param path     YAML path of the field, such as {@code model.layers[0].units}; empty for the whole file
 * @param message  what is wrong and what was expected
 */
public record Problem(String location, String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? location + ": " + message : location + ": " + path + ": " + message;
    }
}
