package io.rnnkit.config;

import java.util.List;

/** Small valid configs for tests, written as YAML the way users write them. */
public final class Yaml {
    private Yaml() {
    }

    public static final String MINIMAL = """
            name: t
            data:
              format: generated
              generator: {samplesPerClass: 10, length: 12}
            model:
              layers:
                - {type: lstm, units: 4}
            training: {epochs: 1}
            """;

    /** {@link #MINIMAL} with a search over every kind of dimension (rnnkit tune). */
    public static final String SEARCH = MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 6, checkpointEvery: 0}") + """
            search:
              metric: accuracy
              maxCandidates: 6
              populationSize: 3
              space:
                - {path: 'model.layers[*].type', choice: [lstm, gru, simple-rnn]}
                - {path: 'model.layers[*].units', integer: [2, 9]}
                - {path: training.updater.learningRate, logUniform: [0.001, 0.1]}
                - {path: 'model.layers[*].dropout', uniform: [0.0, 0.3]}
                - {path: model.layers, count: [1, 2]}
            """;

    public static LoadedConfig load(String yaml, String... overrides) {
        return ConfigLoader.parse(yaml, "test.yaml", List.of(overrides));
    }

    /** The problems a config has, as one string per problem. */
    public static List<String> problems(String yaml, String... overrides) {
        try {
            load(yaml, overrides);
        } catch (ConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected the config to be rejected:\n" + yaml);
    }
}
