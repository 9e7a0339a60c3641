package io.rnnkit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the answer is: a class (softmax + cross-entropy) or real values (identity + mean squared error). */
public enum TaskKind {
    CLASSIFICATION,
    REGRESSION;

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
