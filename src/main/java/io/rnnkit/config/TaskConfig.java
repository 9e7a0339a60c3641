package io.rnnkit.config;

@Doc("What the network learns: the topology and whether it predicts classes or values.")
public record TaskConfig(
        @Doc("many-to-one (a sequence in, one answer out), many-to-many (an answer at every step) or one-to-many (generation: text from a seed, or a sequence from one vector).") @Default("many-to-one") Topology topology,
        @Doc("classification (a class per sequence) or regression (values per sequence).") @Default("classification") TaskKind kind) {
    public TaskConfig {
        Constraints.check(TaskConfig.class, topology, kind);
    }
}
