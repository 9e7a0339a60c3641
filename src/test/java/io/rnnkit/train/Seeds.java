package io.rnnkit.train;

import io.rnnkit.config.ConfigLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeds the learning thresholds of issue 22 hold on (those of docs/small-data-study.md), and a shipped config
 * trained once per seed with the spread of its figures printed, so that a threshold is never met by one lucky seed.
 */
final class Seeds {
    static final List<Integer> STUDY = List.of(1, 7, 42);

    private Seeds() {
    }

    /** Trains configs/CONFIG once per seed of {@link #STUDY} (with OVERRIDES too) into DIR/NAME-SEED. */
    static List<ExperimentRunner.RunResult> train(String config, Path dir, String name, String... overrides) {
        List<ExperimentRunner.RunResult> runs = new ArrayList<>();
        for (int seed : STUDY) {
            List<String> settings = new ArrayList<>(List.of(overrides));
            settings.add("seed=" + seed);
            runs.add(ExperimentRunner.run(ConfigLoader.load(Path.of("configs", config), settings), dir.resolve(name + "-" + seed),
                    TrainingProgress.SILENT));
        }
        return runs;
    }

    /** The metric SPLIT.METRIC of each run, printed with their mean and range under WHAT. */
    static double[] figures(String what, List<ExperimentRunner.RunResult> runs, String split, String metric) {
        double[] values = runs.stream().mapToDouble(r -> r.metrics().get(split).get(metric)).toArray();
        StringBuilder line = new StringBuilder(what).append(' ').append(split).append(' ').append(metric).append(':');
        for (int i = 0; i < values.length; i++) {
            line.append(String.format(Locale.ROOT, " seed %d %.4f,", STUDY.get(i), values[i]));
        }
        line.append(String.format(Locale.ROOT, " mean %.4f (%.4f-%.4f)", mean(values), min(values), max(values)));
        System.out.println(line);
        return values;
    }

    /** Fails naming the seed when any seed's figure is under BAR. */
    static void assertEachAtLeast(String what, double[] values, double bar) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(values[i] >= bar, what + " " + values[i] + " < " + bar + " with seed " + STUDY.get(i));
        }
    }

    /** Fails naming the seed when any seed's figure is over BAR. */
    static void assertEachAtMost(String what, double[] values, double bar) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(values[i] <= bar, what + " " + values[i] + " > " + bar + " with seed " + STUDY.get(i));
        }
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
