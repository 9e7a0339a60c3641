package io.rnnkit.config;

@Doc("What the network learns: the topology and whether it predicts classes or values.")
public record TaskConfig(
        @Doc("many-to-one (a sequence in, one answer out), many-to-many (an answer at every step), one-to-many (generation: text from a seed, or a sequence from one vector) or sequence-to-sequence (a symbol sequence in, another of any length out).") @Default("many-to-one") Topology topology,
        @Doc("classification (a class per sequence), regression (values per sequence) or anomaly (a series scanned for anomalous steps by a next-step forecaster, unsupervised).") @Default("classification") TaskKind kind,
        @Doc("Limits, unknown symbols and decoding, for topology: sequence-to-sequence.") @Default("{}") TranslationConfig translation,
        @Doc("Scores, threshold and events, for kind: anomaly.") @Default("{}") AnomalyConfig anomaly) {
    public TaskConfig {
        Constraints.check(TaskConfig.class, topology, kind, translation, anomaly);
    }
}
