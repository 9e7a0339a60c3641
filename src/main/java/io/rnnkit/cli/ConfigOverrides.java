package io.rnnkit.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code --set PATH=VALUE ...} for commands that load a config (applied by ConfigLoader, validated like the file). */
final class ConfigOverrides {
    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field, such as training.epochs=5,"
            + " model.layers[0].units=32 or model.layers[0].type=simple-rnn.")
    List<String> values = new ArrayList<>();
}
