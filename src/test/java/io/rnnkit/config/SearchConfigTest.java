package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search section is checked at load, before any training, each problem with its line and YAML path: unknown
 * paths, values that do not fit the field (found by applying them as --set would and binding), empty choices,
 * inverted ranges, metrics the task does not produce.
 */
class SearchConfigTest {
    private static final String BASE = Yaml.MINIMAL + """
            search:
              metric: accuracy
              space:
            """;

    private static String with(String... dimensions) {
        StringBuilder yaml = new StringBuilder(BASE);
        for (String d : dimensions) {
            yaml.append("    - ").append(d).append('\n');
        }
        return yaml.toString();
    }

    private static String only(String yaml) {
        List<String> problems = Yaml.problems(yaml);
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void aValidSpaceLoadsAndCandidatesAreTheConfigWithTheirValues() {
        String yaml = with("{path: 'model.layers[*].type', choice: [lstm, gru]}", "{path: 'model.layers[0].units', integer: [2, 8]}",
                "{path: training.updater.learningRate, logUniform: [0.001, 0.1]}", "{path: 'model.layers[*].dropout', uniform: [0, 0.5]}",
                "{path: model.layers, count: [1, 3]}");
        SearchConfig search = Yaml.load(yaml).config().search();
        assertEquals(5, search.space().size());
        assertEquals(List.of("1", "3"), search.space().get(4).extremes());

        ConfigSource source = new ConfigSource(yaml, "test.yaml", List.of("training.epochs=2"));
        LoadedConfig candidate = source.candidate(List.of(new SearchSetting("model.layers[*].type", "gru", false),
                new SearchSetting("model.layers[*].units", "7", false), new SearchSetting("model.layers", "3", true)));
        ExperimentConfig c = candidate.config();
        assertNull(c.search(), "a candidate is an ordinary run: no search section");
        assertEquals(2, c.training().epochs(), "the overrides apply to every candidate");
        assertEquals(3, c.model().layers().size(), "count applies before [*], so the new layers get the searched values too");
        for (LayerConfig layer : c.model().layers()) {
            assertEquals(CellType.GRU, layer.type());
            assertEquals(7, layer.units());
        }
    }

    @Test
    void theShippedSearchConfigsAreValid() {
        io.rnnkit.TestData.require("synthetic_control/synthetic_control.data");
        io.rnnkit.TestData.require("ucr_ecg200/ECG200_TRAIN.txt");
        for (String name : List.of("synthetic-control-search", "ecg200-search")) {
            SearchConfig search = ConfigLoader.load(java.nio.file.Path.of("configs", name + ".yaml"), List.of()).config().search();
            assertEquals(Metric.LOSS, search.metric(), name);
            assertEquals(SplitName.VALIDATION, search.split(), name + ": candidates are chosen on validation data");
        }
    }

    @Test
    void anUnknownPathIsNamedWithItsLineAndASuggestion() {
        String p = only(with("{path: 'model.layers[0].unitz', integer: [2, 8]}"));
        assertEquals("test.yaml:12: search.space[0].path: no such field: model.layers[0].unitz: unknown key 'unitz' (did you mean 'units'?);"
                + " allowed here: type, units, bidirectional, activation, dropout, implementation, layerNorm", p);
        assertTrue(only(with("{path: 'model.layers[2].units', integer: [2, 8]}"))
                .contains("search.space[0].path: no such field: model.layers[2]: 'model.layers' has 1 entries; index 2 is out of range"));
        assertTrue(only(with("{path: training.epochs, count: [1, 2]}"))
                .contains("search.space[0].path: no such field: training.epochs: 'training.epochs' is not a list with entries"));
        assertTrue(only(with("{path: search.maxCandidates, integer: [1, 2]}")).contains("a search cannot change its own search section"));
    }

    @Test
    void aDistributionThatDoesNotFitTheFieldIsRejected() {
        assertEquals("test.yaml:12: search.space[0].uniform: value 2.0 does not fit model.layers[0].units: expected an integer, got '2.0'",
                only(with("{path: 'model.layers[0].units', uniform: [2, 8]}")));
        assertTrue(only(with("{path: 'model.layers[*].type', choice: [lstm, grux]}"))
                .contains("search.space[0].choice: value grux does not fit model.layers[0].type: expected one of simple-rnn, lstm, gru, got 'grux' (did you mean 'gru'?)"));
        assertTrue(only(with("{path: 'model.layers[*].dropout', uniform: [0, 1.5]}"))
                .contains("search.space[0].uniform: value 1.5 does not fit model.layers[0].dropout: must be in [0, 1), got 1.5"));
        assertTrue(only(with("{path: training.shuffle, integer: [0, 1]}"))
                .contains("search.space[0].integer: value 0 does not fit training.shuffle: expected true or false, got '0'"));
    }

    @Test
    void emptyChoicesAndInvertedRangesAreRejected() {
        assertEquals("test.yaml:12: search.space[0].choice: is empty; give at least one value",
                only(with("{path: 'model.layers[*].type', choice: []}")));
        assertTrue(only(with("{path: 'model.layers[0].units', integer: [8, 2]}")).contains("search.space[0].integer: the range is inverted: min 8 > max 2"));
        assertTrue(only(with("{path: 'model.layers[*].dropout', uniform: [0.4, 0.1]}")).contains("search.space[0].uniform: the range is inverted or empty"));
        assertTrue(only(with("{path: training.updater.learningRate, logUniform: [0.1, 0.001]}"))
                .contains("search.space[0].logUniform: the range is inverted or empty"));
        assertTrue(only(with("{path: training.updater.learningRate, logUniform: [0, 0.1]}")).contains("logUniform: min must be > 0 (log scale)"));
        assertTrue(only(with("{path: model.layers, count: [3, 1]}")).contains("count: the range is inverted"));
        assertTrue(only(with("{path: training.epochs, integer: [1]}")).contains("search.space[0].integer: number of entries must be in [2, 2], got 1"));
        assertTrue(only(with("{path: training.epochs, integer: [1, 2], uniform: [1, 2]}"))
                .contains("training.epochs needs exactly one distribution (choice, integer, uniform, logUniform or count), got 2"));
        assertTrue(only(with("{path: training.epochs, integer: [1, 2]}", "{path: training.epochs, choice: ['3']}"))
                .contains("search.space[1].path: training.epochs is searched twice"));
    }

    @Test
    void aMetricTheTaskDoesNotProduceIsRejected() {
        String yaml = with("{path: training.epochs, integer: [1, 2]}").replace("metric: accuracy", "metric: mae");
        assertEquals("test.yaml:10: search.metric: mae is not a metric of a classification task; use loss, accuracy, f1", only(yaml));
        String noValidation = with("{path: training.epochs, integer: [1, 2]}").replace("training: {epochs: 1}",
                "training: {epochs: 1, earlyStopping: {restoreBest: false}}\n").replace("format: generated", "format: generated\n  split: {train: 0.8, validation: 0, test: 0.2}");
        assertTrue(only(noValidation).contains("search.split: validation, but data.split.validation is 0"), noValidation);
    }

    /** search.executor: checked at load with its YAML path; tune --spark binds its master the same way, defaults filled in. */
    @Test
    void theSparkExecutorIsCheckedAtLoad() {
        String yaml = with("{path: training.epochs, integer: [1, 2]}");
        ExecutorConfig e = Yaml.load(yaml + "  executor: {spark: 'local[2]', shared: 'hdfs://namenode/rnnkit/s1'}\n").config().search().executor();
        assertEquals("local[2]", e.spark());
        assertEquals("hdfs://namenode/rnnkit/s1", e.shared());
        assertEquals(4, e.maxFailures(), "Spark's own default on a cluster");
        assertEquals(false, e.ui(), "Spark's UI stays off unless asked");
        assertNull(Yaml.load(yaml).config().search().executor(), "absent: candidates train in this process");

        assertTrue(only(yaml + "  executor: {spark: 'lokal[2]'}\n").contains("search.executor.spark: "), yaml);
        assertTrue(only(yaml + "  executor: {spark: 'lokal[2]'}\n").contains("local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL"));
        assertTrue(only(yaml + "  executor: {shared: 'file:/nfs/s1'}\n").contains("search.executor.spark: missing required key"));
        assertTrue(only(yaml + "  executor: {spark: yarn, shared: '/nfs/s1'}\n").contains("search.executor.shared: "));
        assertTrue(only(yaml + "  executor: {spark: yarn, maxFailures: 0}\n").contains("search.executor.maxFailures: "));

        io.rnnkit.config.ConfigSource source = new io.rnnkit.config.ConfigSource(yaml + "  executor: {spark: yarn, maxFailures: 2}\n", "test.yaml", List.of());
        ExecutorConfig flag = io.rnnkit.tune.Search.onSpark(source, "spark://10.0.0.1:7077");
        assertEquals("spark://10.0.0.1:7077", flag.spark());
        assertEquals(2, flag.maxFailures(), "--spark replaces the master only");
        assertEquals(4, io.rnnkit.tune.Search.onSpark(new io.rnnkit.config.ConfigSource(yaml, "test.yaml", List.of()), "local[2]").maxFailures());
        ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> io.rnnkit.tune.Search.onSpark(new io.rnnkit.config.ConfigSource(yaml, "test.yaml", List.of()), "nowhere"));
        assertTrue(bad.getMessage().contains("search.executor.spark"), bad.getMessage());
    }
}
