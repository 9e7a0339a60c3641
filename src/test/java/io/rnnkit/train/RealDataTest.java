package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped configs learn real data to published standards. Thresholds, on each of the seeds 1, 7 and 42
 * ({@link Seeds}): UCI synthetic control, test accuracy ≥ 0.97 (published 1-NN-DTW error is under 0.01); UCR
 * ECG200, test accuracy ≥ 0.83 trained on the training file only (measured 0.85 / 0.89 / 0.84, mean 0.86,
 * docs/small-data-study.md; published recurrent results: 0.87 with an echo-state network, 0.90 with LSTM-FCN), and
 * as an ensemble of 3 seeds ≥ 0.87 on each seed with a mean ≥ 0.88 (issue 22 asks for a mean of 0.89, which no
 * ensemble size from 3 to 10 and no option of the study reached).
 */
@Tag("learning")
class RealDataTest {
    @TempDir
    Path dir;

    private ExperimentRunner.RunResult train(String config) {
        return train(config, dir);
    }

    /** Trains a shipped config into {@code dir/run}, printing each epoch's validation figures and the test metrics. */
    static ExperimentRunner.RunResult train(String config, Path dir) {
        LoadedConfig loaded = ConfigLoader.load(Path.of("configs", config), List.of());
        ExperimentRunner.RunResult result = ExperimentRunner.run(loaded, dir.resolve("run"), new TrainingProgress() {
            @Override
            public void epoch(EpochRecord r, int epochs) {
                System.out.println(config + " epoch " + r.epoch() + " " + r.validation());
            }
        });
        System.out.println(config + ": " + result.metrics().get("test").values() + " best epoch " + result.training().bestEpoch());
        return result;
    }

    @Test
    void syntheticControlLstmReachesPublishedAccuracyOnEverySeed() {
        TestData.require("synthetic_control/synthetic_control.data");
        double[] accuracy = Seeds.figures("synthetic-control-lstm", Seeds.train("synthetic-control-lstm.yaml", dir, "sc"), "test", "accuracy");
        Seeds.assertEachAtLeast("synthetic control test accuracy", accuracy, 0.97);
    }

    @Test
    void syntheticControlGruReachesTheSameAccuracy() {
        TestData.require("synthetic_control/synthetic_control.data");
        double accuracy = train("synthetic-control-gru.yaml").metrics().get("test").get("accuracy");
        assertTrue(accuracy >= 0.97, "synthetic control GRU test accuracy " + accuracy + " < 0.97");
    }

    /**
     * ECG200 as shipped, and the same config as an ensemble of 3 seeds ({@code training.ensemble.members=3}), whose member
     * 0 is the network the shipped config trains: one run per seed checks both. Measured (one thread): members 0 0.85 /
     * 0.89 / 0.84, ensembles 0.89 / 0.89 / 0.87 (seeds 1 / 7 / 42, mean 0.883). Every ensemble size from 3 to 10 gave
     * each seed at least 0.87 and a mean of 0.873-0.883 (docs/small-data-study.md), so 3 members, the cheapest, check
     * the bar.
     */
    @Test
    void ecg200LstmReachesEightyThreePercentOnEverySeedAndItsEnsembleEightySeven() {
        TestData.require("ucr_ecg200/ECG200_TRAIN.txt");
        List<ExperimentRunner.RunResult> runs = Seeds.train("ecg200-lstm.yaml", dir, "ecg200", "training.ensemble.members=3");
        double[] single = Seeds.figures("ecg200-lstm (member 0)", runs.stream().map(r -> r.members().get(0).run()).toList(), "test", "accuracy");
        Seeds.assertEachAtLeast("ECG200 test accuracy", single, 0.83);
        double[] ensemble = Seeds.figures("ecg200-lstm, 3 seeds combined", runs, "test", "accuracy");
        Seeds.assertEachAtLeast("ECG200 ensemble test accuracy", ensemble, 0.87);
        assertTrue(Seeds.mean(ensemble) >= 0.88, "ECG200 ensemble mean test accuracy " + Seeds.mean(ensemble) + " < 0.88");
    }

    @Test
    void quickstartLearnsTheGeneratedPatterns() {
        double accuracy = train("quickstart.yaml").metrics().get("test").get("accuracy");
        assertTrue(accuracy >= 0.90, "quickstart test accuracy " + accuracy + " < 0.90");
    }
}
