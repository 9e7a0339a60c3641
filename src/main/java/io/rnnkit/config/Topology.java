package io.rnnkit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The shape of the task: what goes in and what comes out (docs/architecture.md, "The task type"). */
@Doc("The shape of the task.")
public enum Topology {
    /** A sequence in, one answer out: the last recurrent layer is wrapped in LastTimeStep before the output layer. */
    MANY_TO_ONE,
    /** A sequence in, an answer at every step out: the recurrent layers feed an RnnOutputLayer; padding is masked. */
    MANY_TO_MANY,
    /**
     * Generation, in two forms. Text (classification over tokens): a seed in, a sequence out, trained to predict
     * the next token at every step (many-to-many with truncated BPTT for long text) and sampled one step at a
     * time with {@code rnnTimeStep}. Vector → sequence (regression, {@code generator: chart-synthesis}): one
     * static vector in, repeated over the T steps, recurrent layers and an answer at every step out.
     */
    ONE_TO_MANY,
    /**
     * A symbol sequence in, a symbol sequence of another length out (translation, normalization, transduction),
     * in delayed form inside one network: it reads the source, a separator, then emits the target symbol by
     * symbol, each emitted symbol fed back as the next input ({@code task.translation}).
     */
    SEQUENCE_TO_SEQUENCE;

    /** The YAML name, {@code many-to-one}, which is also how a bundle's contract.json writes it. */
    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    static Topology fromYaml(String name) {
        return YamlNames.parse(Topology.class, name);
    }
}
