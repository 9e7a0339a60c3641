package io.rnnkit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a forecaster reaches {@code horizon} steps ahead of a window of {@code lookback} observations. */
public enum ForecastStrategy {
    /**
     * One network call answers all {@code horizon} values at once: the last step's state feeds a dense layer
     * of {@code horizon} outputs (many-to-one).
     */
    DIRECT,
    /**
     * A next-step model fed its own forecasts: trained to predict y[t+1] at every step t of windows of
     * {@code lookback + horizon − 1} observations, it reads a window with {@code rnnTimeStep}, then turns
     * each forecast into the next input step, {@code horizon − 1} times, keeping its recurrent state.
     */
    RECURSIVE;

    /** The YAML name, {@code direct}, which is also how a bundle's contract.json writes it. */
    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    static ForecastStrategy fromYaml(String name) {
        return YamlNames.parse(ForecastStrategy.class, name);
    }
}
