package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.eval.SplitMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NYC taxi demand tagged per step from NAB's five anomaly windows (configs/nyc-taxi-tagger.yaml): trained on the part
 * of the series holding the first three windows, tested on the part holding the last two. With balanced class
 * weights the tagger finds more than half of the test windows' steps; the same model without weights, where 95% of
 * the training steps are normal, learns to answer "normal" almost everywhere.
 */
@Tag("learning")
class NycTaxiTaggerTest {
    private static final Path CONFIG = Path.of("configs/nyc-taxi-tagger.yaml");

    @TempDir
    Path dir;

    @Test
    void balancedClassWeightsKeepTheAnomalyRecallWhereTheUnweightedModelCollapses() {
        TestData.require("nab/data/realKnownCause/nyc_taxi.csv");
        ExperimentRunner.RunResult weighted = ExperimentRunner.run(ConfigLoader.load(CONFIG, List.of()), dir.resolve("balanced"),
                TrainingProgress.SILENT);
        List<String> classes = weighted.data().classes();
        assertEquals(List.of("anomaly", "normal"), classes);
        int anomaly = classes.indexOf("anomaly");
        // the chronological split: validation holds the third window, test the fourth and fifth (207 steps each)
        assertEquals(207, weighted.data().validation().labelCounts(2)[anomaly]);
        assertEquals(2 * 207, weighted.data().test().labelCounts(2)[anomaly]);
        assertEquals(1651, weighted.data().test().labelCounts(2)[0] + weighted.data().test().labelCounts(2)[1], "every test step once");

        ExperimentRunner.RunResult unweighted = ExperimentRunner.run(ConfigLoader.load(CONFIG, List.of("training.classWeights=none")),
                dir.resolve("none"), TrainingProgress.SILENT);
        SplitMetrics.ClassFigures balanced = weighted.metrics().get("test").perClass().get(anomaly);
        SplitMetrics.ClassFigures plain = unweighted.metrics().get("test").perClass().get(anomaly);
        SplitMetrics.ClassFigures plainNormal = unweighted.metrics().get("test").perClass().get(1 - anomaly);
        System.out.println("nyc taxi tagger, test anomaly steps: balanced " + balanced + "; unweighted " + plain + " (normal " + plainNormal + ")");
        assertTrue(balanced.recall() > 0.5, "balanced weights: anomaly recall " + balanced.recall());
        // the collapse: the unweighted model calls (almost) every step normal
        assertTrue(plain.recall() < 0.1, "unweighted: anomaly recall " + plain.recall());
        assertTrue(plainNormal.recall() > 0.95, "unweighted: normal recall " + plainNormal.recall());
        assertTrue(balanced.recall() > 2 * plain.recall(), balanced.recall() + " vs " + plain.recall());
    }
}
