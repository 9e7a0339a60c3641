package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped anomaly configs on NAB's three series, read exactly as published with NAB's windows: the unsupervised
 * detector's NAB standard score on each series is at least the better of the two simple detectors' (persistence,
 * rolling z-score, thresholded the same label-free way), and over the three it detects at least as many of the 8
 * windows as either.
 */
@Tag("learning")
class NabAnomalyTest {
    private static final List<String> SERIES = List.of("ambient-temperature", "cpu-utilization", "nyc-taxi");

    @TempDir
    Path dir;

    @Test
    void theDetectorScoresAtLeastTheBetterSimpleDetectorOnEachSeriesAndFindsAsManyWindows() throws Exception {
        TestData.require("nab/labels/combined_windows_filtered.json");
        Map<String, Integer> windowsFound = new java.util.LinkedHashMap<>();
        int windows = 0;
        StringBuilder report = new StringBuilder();
        for (String series : SERIES) {
            ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/nab-" + series + "-anomaly.yaml"), List.of()),
                    dir.resolve(series), TrainingProgress.SILENT);
            Map<?, ?> detectors = (Map<?, ?>) r.anomaly().get("detectors");
            double model = nab(detectors, AnomalyRun.MODEL);
            double best = Math.max(nab(detectors, AnomalyRun.PERSISTENCE), nab(detectors, AnomalyRun.ROLLING_Z));
            report.append(series).append(": ").append(detectors).append('\n');
            System.out.println(series + ": " + detectors);
            assertTrue(model >= best, series + ": NAB " + model + " below the better simple detector's " + best + "\n" + report);
            for (Object name : detectors.keySet()) {
                windowsFound.merge((String) name, (Integer) ((Map<?, ?>) detectors.get(name)).get("windowsDetected"), Integer::sum);
            }
            windows += (Integer) ((Map<?, ?>) detectors.get(AnomalyRun.MODEL)).get("windows");
            assertTrue(Files.size(r.directory().resolve("plots/anomaly.png")) > 0);
            assertTrue(Files.readAllLines(r.directory().resolve("plots/events.csv")).size() > 1);
        }
        System.out.println(report + "windows found: " + windowsFound);
        assertEquals(8, windows, "NAB's windows of the three series");
        int model = windowsFound.get(AnomalyRun.MODEL);
        assertTrue(model >= windowsFound.get(AnomalyRun.PERSISTENCE) && model >= windowsFound.get(AnomalyRun.ROLLING_Z), windowsFound.toString());
    }

    private static double nab(Map<?, ?> detectors, String name) {
        return ((Number) ((Map<?, ?>) detectors.get(name)).get("nabStandard")).doubleValue();
    }
}
