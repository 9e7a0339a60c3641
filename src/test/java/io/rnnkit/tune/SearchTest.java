package io.rnnkit.tune;

import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.Metric;
import io.rnnkit.config.PrunerConfig;
import io.rnnkit.config.PrunerRule;
import io.rnnkit.config.SearchConfig;
import io.rnnkit.config.SplitName;
import io.rnnkit.config.Yaml;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Candidates are reproducible for every generator, the pruner follows its two rules, and a real search prunes through the Trainer. */
class SearchTest {

    private static SearchConfig search(String algorithm) {
        return Yaml.load(Yaml.SEARCH, "search.algorithm=" + algorithm).config().search();
    }

    /** The first {@code n} candidates a generator proposes, each answered with a score that depends on its values (for genetic breeding). */
    private static List<Map<String, String>> candidates(String algorithm, long seed, int n) {
        SearchConfig search = search(algorithm);
        MetricScore score = new MetricScore(search.metric(), SplitName.VALIDATION);
        CandidateGenerator generator = Search.generator(search, new ConfigSpace(search), score, seed);
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < n && generator.hasMoreCandidates(); i++) {
            Candidate c = generator.getCandidate();
            CandidateConfig config = (CandidateConfig) c.getValue();
            out.add(config.values());
            double fitness = config.values().toString().hashCode() % 1000 / 1000.0;
            generator.reportResults(new OptimizationResult(c, fitness, c.getIndex(), null, null, null));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameCandidatesInTheSameOrder() {
        for (String algorithm : List.of("random", "genetic")) {
            List<Map<String, String>> a = candidates(algorithm, 42, 12);
            assertEquals(12, a.size());
            assertEquals(a, candidates(algorithm, 42, 12), algorithm);
            assertNotEquals(a, candidates(algorithm, 43, 12), algorithm + ": another seed, other candidates");
            assertTrue(a.stream().distinct().count() > 6, algorithm + " explores: " + a);
        }
        List<Map<String, String>> grid = candidates("grid", 42, 1000);
        assertEquals(3 * 3 * 3 * 3 * 2, grid.size(), "grid: 3 choices × 3 integers × 3 × 3 reals (gridPoints) × counts 1, 2");
        assertEquals(grid.size(), grid.stream().distinct().count(), "every grid point once");
        assertEquals(Map.of("model.layers[*].type", "lstm", "model.layers[*].units", "2", "training.updater.learningRate", "0.001",
                "model.layers[*].dropout", "0.0", "count(model.layers)", "1"), grid.get(0));
        assertEquals("0.01", grid.get(9).get("training.updater.learningRate"), "the log-uniform grid is geometric: 0.001, 0.01, 0.1");
    }

    private static Pruner pruner(Metric metric, PrunerRule... rules) {
        return new Pruner(new PrunerConfig(List.of(rules), 2, 2, 2), metric);
    }

    @Test
    void theMedianRuleStopsCandidatesBelowTheMedianOfEarlierOnesAfterTheWarmup() {
        Pruner p = pruner(Metric.ACCURACY, PrunerRule.MEDIAN);
        assertFalse(p.shouldStop(0, List.of(0.1, 0.1, 0.1)), "no earlier candidates: nothing to compare with");
        p.finished(0, List.of(0.5, 0.6, 0.7, 0.8));
        assertFalse(p.shouldStop(1, List.of(0.1, 0.1)), "one earlier candidate is fewer than minCandidates (2)");
        p.finished(1, List.of(0.3, 0.4, 0.9, 0.9));
        // best-so-far after 2 epochs: 0.6 and 0.4, median 0.5
        assertFalse(p.shouldStop(2, List.of(0.1)), "before the warmup (2 epochs) no candidate is stopped");
        assertTrue(p.shouldStop(2, List.of(0.1, 0.45)));
        assertFalse(p.shouldStop(2, List.of(0.55, 0.2)), "its best so far (0.55) counts, not its last value");
        // epoch 3: best-so-far 0.7 and 0.9, median 0.8
        assertTrue(p.shouldStop(2, List.of(0.55, 0.2, 0.75)));
        assertFalse(p.shouldStop(2, List.of(0.55, 0.2, 0.85)));

        Pruner loss = pruner(Metric.LOSS, PrunerRule.MEDIAN);
        loss.finished(0, List.of(1.0, 0.5));
        loss.finished(1, List.of(1.0, 0.7));
        assertTrue(loss.shouldStop(2, List.of(1.2, 0.9)), "for a loss, higher is worse");
        assertFalse(loss.shouldStop(2, List.of(1.2, 0.55)));
    }

    @Test
    void successiveHalvingKeepsTheBestHalfAtEachRung() {
        Pruner p = pruner(Metric.ACCURACY, PrunerRule.SUCCESSIVE_HALVING); // rungs at epochs 2, 4, 8, ...
        assertFalse(p.shouldStop(0, List.of(0.2, 0.5)), "the first value at a rung is the best there");
        assertTrue(p.shouldStop(1, List.of(0.2, 0.4)), "2 values, η = 2: only the best goes on");
        assertFalse(p.shouldStop(2, List.of(0.2, 0.6)));
        assertFalse(p.shouldStop(3, List.of(0.9, 0.55, 0.1)), "epoch 3 is no rung");
        // 4 values at epoch 2 (0.5, 0.4, 0.6, 0.45): the best ⌊4/2⌋ = 2 go on
        assertTrue(p.shouldStop(3, List.of(0.9, 0.45)));
        assertFalse(p.shouldStop(4, List.of(0.1, 0.55)), "0.55 is second best of 5 values at the rung: ⌊5/2⌋ = 2 go on");
        p.finished(5, List.of(0.1, 0.1, 0.1, 0.9));
        assertTrue(p.shouldStop(6, List.of(0.9, 0.9, 0.9, 0.3)), "finished candidates' rung values count too");
    }

    @Test
    void theTimeBudgetEndsTheSearch(@TempDir Path dir) {
        ConfigSource source = new ConfigSource(Yaml.SEARCH, "search.yaml", List.of("search.maxMinutes=0.0001", "search.maxCandidates=50"));
        Search.Outcome outcome = Search.run(source, dir.resolve("out"), SearchListener.SILENT);
        assertTrue(outcome.ranked().size() <= 1, "6 ms of budget: Arbiter starts at most one candidate: " + outcome.ranked());
    }

    @Test
    void aPrunedSearchStopsCandidatesEarlyAndRecordsThem(@TempDir Path dir) throws Exception {
        ConfigSource source = new ConfigSource(Yaml.SEARCH, "search.yaml",
                List.of("search.pruner={rules: [median], warmupEpochs: 2, minCandidates: 1}", "search.maxCandidates=5"));
        List<Integer> started = new ArrayList<>();
        Search.Outcome outcome = Search.run(source, dir.resolve("out"), new SearchListener() {
            @Override
            public void started(int candidate, CandidateConfig config) {
                started.add(candidate);
            }
        });
        assertEquals(List.of(0, 1, 2, 3, 4), started);
        assertEquals(5, outcome.ranked().size());
        List<TrialRecord> pruned = outcome.ranked().stream().filter(t -> t.status().equals("pruned")).toList();
        assertFalse(pruned.isEmpty(), "with minCandidates 1 and warmup 2, some candidate falls below the median: " + outcome.ranked());
        for (TrialRecord t : outcome.ranked()) {
            assertEquals(t.status().equals("pruned") ? t.curve().size() : 6, t.epochs(), t.toString());
            Path history = dir.resolve("out/candidates/" + SearchDirectory.name(t.id()) + "/history.csv");
            assertEquals(t.epochs() + 1, Files.readAllLines(history).size(), "the run trained exactly the recorded epochs");
            assertTrue(t.scored(), "a pruned candidate is still evaluated: " + t);
        }
        assertTrue(pruned.stream().allMatch(t -> t.epochs() >= 2 && t.epochs() < 6), pruned.toString());
    }
}
