package io.rnnkit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the answer is: a class (softmax + cross-entropy), real values (identity + mean squared error), or for a
 * series, which steps are anomalous (a next-step forecaster, trained as regression, whose errors are scored).
 */
public enum TaskKind {
    CLASSIFICATION,
    REGRESSION,
    ANOMALY;

    /** Whether the network is trained on real values (identity + mean squared error): regression, and an anomaly detector's forecaster. */
    public boolean regresses() {
        return this != CLASSIFICATION;
    }

    /** The YAML name, {@code classification}, which is also how a bundle's contract.json writes it. */
    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    static TaskKind fromYaml(String name) {
        return YamlNames.parse(TaskKind.class, name);
    }
}
