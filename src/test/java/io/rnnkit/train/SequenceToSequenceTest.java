package io.rnnkit.train;

import io.rnnkit.config.ConfigLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped sequence-to-sequence configs train to the accuracy issue #10 asks for, measured as exact match of
 * greedy translations of held-out pairs (sources never seen in training). Training times are printed, not
 * asserted (timed tests are forbidden on these noisy machines).
 */
@Tag("learning")
class SequenceToSequenceTest {
    @TempDir
    Path dir;

    private Map<String, Double> train(String config) {
        long start = System.nanoTime();
        ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of(config), List.of()), dir.resolve("run"),
                TrainingProgress.SILENT);
        Map<String, Double> test = r.metrics().get("test").values();
        System.out.printf("%s: test %s; training %.1f s, whole run %.1f s%n", config, test, r.training().seconds(),
                (System.nanoTime() - start) / 1e9);
        return test;
    }

    @Test
    void datesInManyHumanFormatsNormalizeToIso() {
        double exact = train("configs/dates-gru.yaml").get("exact_match");
        assertTrue(exact >= 0.95, "held-out exact match " + exact + " (issue #10 asks ≥ 0.95)");
    }

    @Test
    void sumsOfNumbersOfUpToThreeDigitsAreWrittenOut() {
        double exact = train("configs/addition-gru.yaml").get("exact_match");
        assertTrue(exact >= 0.90, "held-out exact match " + exact + " (issue #10 asks ≥ 0.90)");
    }

    @Test
    void lettersAreReversed() {
        double exact = train("configs/reversal-gru.yaml").get("exact_match");
        // Measured 0.933 on the scalar layers and 0.94 on the SIMD lanes (0.73 while the poly schedule was ND4J's,
        // whose rate rose to twice its start). About nine in ten test words have 3 to 6 letters (the distinct words
        // of 1 and 2 letters are few), so 0.85 needs nearly all of those reversed whole, which no network that
        // learned only the length or the first and last letters comes near; 0.85 also fails a return to the
        // rising schedule, and leaves room for run-to-run noise.
        assertTrue(exact >= 0.85, "held-out exact match " + exact);
    }
}
