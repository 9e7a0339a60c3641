package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import picocli.CommandLine.Option;

/** {@code --ui [--ui-host H] [--ui-port P]} for commands that can show what they train in the Deeplearning4j UI server. */
final class UiOptions {
    @Option(names = "--ui", description = "Show it in the UI while it runs (the address is printed).")
    boolean ui;

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Interface the UI listens on (default ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "9000", description = "The UI's port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    /** The port, checked. */
    int port() {
        if (port < 0 || port > 65535) {
            throw new BadInputException("--ui-port: expected 0 to 65535, got " + port);
        }
        return port;
    }
}
