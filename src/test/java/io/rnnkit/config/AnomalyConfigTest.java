package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** task.kind: anomaly: what it makes, and the combinations it refuses with the YAML path to change. */
class AnomalyConfigTest {
    private static final String SERIES = """
            name: detector
            task: {kind: anomaly, anomaly: {smoothing: 4, threshold: false-alarm-rate, falseAlarms: 0.5}}
            data: {format: series, path: series.csv, window: {lookback: 8}, split: {train: 0.6, validation: 0.1, test: 0.3}}
            model: {layers: [{type: lstm, units: 4}]}
            """;

    private static String problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parseWithoutFileChecks(yaml, "x.yaml"));
        return e.getMessage();
    }

    @Test
    void anAnomalyTaskIsAOneStepDirectForecasterOfWindowsThatDetects() {
        ExperimentConfig c = ConfigLoader.parseWithoutFileChecks(SERIES, "x.yaml");
        Task task = Task.of(c);
        Task.AnomalyDetector detector = assertInstanceOf(Task.AnomalyDetector.class, task);
        assertEquals(WindowReference.NONE, detector.windowReference());
        assertTrue(task.detectsAnomalies());
        assertEquals(ForecastStrategy.DIRECT, task.forecastStrategy());
        assertEquals(TaskKind.REGRESSION, task.kind(), "its network is trained as a regression");
        assertEquals(Topology.MANY_TO_ONE, task.topology());
        assertEquals("many-to-one regression model (anomaly detector)", task.describe());
        assertEquals(ThresholdRule.FALSE_ALARM_RATE, c.task().anomaly().threshold());
        assertEquals(0.5, c.task().anomaly().falseAlarms());
        assertTrue(!Task.of(ConfigLoader.parseWithoutFileChecks(SERIES.replace("kind: anomaly", "kind: regression")
                .replace(", anomaly: {smoothing: 4, threshold: false-alarm-rate, falseAlarms: 0.5}", ""), "x.yaml")).detectsAnomalies());
    }

    @Test
    void aDetectorNeedsOneSeriesAOneStepHorizonAndATestPart() {
        assertTrue(problems(SERIES.replace("lookback: 8", "lookback: 8, horizon: 3")).contains("data.window.horizon"));
        assertTrue(problems(SERIES.replace("lookback: 8", "lookback: 8, strategy: recursive")).contains("use strategy: direct"));
        assertTrue(problems(SERIES.replace("test: 0.3", "test: 0").replace("train: 0.6", "train: 0.9")).contains("keep a test fraction"));
        assertTrue(problems(SERIES.replace("kind: anomaly", "kind: anomaly, topology: many-to-many")).contains("task.topology"));
        String rows = """
                name: rows
                task: {kind: anomaly}
                data: {format: rows, path: x.csv}
                model: {layers: [{type: lstm, units: 4}]}
                """;
        assertTrue(problems(rows).contains("set data.format: series"), problems(rows));
        assertTrue(problems(SERIES.replace("kind: anomaly", "kind: regression")).contains("task.anomaly: applies to task.kind: anomaly only"));
        assertEquals(AnomalyConfig.DEFAULTS, ConfigLoader.parseWithoutFileChecks(SERIES.replace(
                ", anomaly: {smoothing: 4, threshold: false-alarm-rate, falseAlarms: 0.5}", ""), "x.yaml").task().anomaly(), "the defaults as bound");
        assertTrue(problems(SERIES.replace("quantile", "quantile").replace("falseAlarms: 0.5", "falseAlarms: 0.5, quantile: 1")).contains("task.anomaly.quantile"));
    }
}
