package io.rnnkit.config;

/** A validated config together with where each of its fields was written, for later located messages. */
public record LoadedConfig(ExperimentConfig config, ConfigLocations locations) {
}
