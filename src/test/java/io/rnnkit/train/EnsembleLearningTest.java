package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ensemble of 3 seeds of the shipped ECG200 config (issue 22): each member's test accuracy and the ensemble's are
 * printed. What is asserted is what holds whatever the seeds draw:
 * <ul>
 *   <li>the ensemble's test loss is at most the members' mean test loss: −log is convex, so the cross-entropy of the
 *       averaged probabilities is at most the average of the members' cross-entropies (Jensen), for any members;</li>
 *   <li>its accuracy is at least the members' mean less 0.03 (3 of the 100 test heartbeats): accuracy has no such
 *       inequality, and averaging can lose a heartbeat on which the members split; measured with seeds 42, 1 and 7 the
 *       ensemble was 0.003 below, 0.013 above and 0.003 below its members' mean (README, "Ensembles"), so 0.03 is ten
 *       times the largest shortfall seen;</li>
 *   <li>its accuracy is at least the 0.80 {@link RealDataTest} asks of one network.</li>
 * </ul>
 */
@Tag("learning")
class EnsembleLearningTest {
    @TempDir
    Path dir;

    @Test
    void anEnsembleOfThreeSeedsOnEcg200IsAtLeastAsGoodAsItsMembersOnAverage() {
        TestData.require("ucr_ecg200/ECG200_TRAIN.txt");
        // checkpoints only at the end: they change no figure, and 80 of them per member cost seconds
        LoadedConfig loaded = ConfigLoader.load(Path.of("configs", "ecg200-lstm.yaml"),
                List.of("training.ensemble.members=3", "training.checkpointEvery=0"));
        long start = System.nanoTime();
        ExperimentRunner.RunResult run = ExperimentRunner.run(loaded, dir.resolve("run"), TrainingProgress.SILENT);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(3, run.members().size());
        double meanAccuracy = 0;
        double meanLoss = 0;
        StringBuilder line = new StringBuilder("ECG200, ensemble of 3 (seed 42): members' test accuracy");
        for (ExperimentRunner.Member m : run.members()) {
            double accuracy = m.run().metrics().get("test").get("accuracy");
            meanAccuracy += accuracy / 3;
            meanLoss += m.run().metrics().get("test").get("loss") / 3;
            line.append(String.format(Locale.ROOT, " %.2f (seed %d)", accuracy, m.seed()));
        }
        double accuracy = run.metrics().get("test").get("accuracy");
        double loss = run.metrics().get("test").get("loss");
        System.out.println(line.append(String.format(Locale.ROOT, ", mean %.3f; ensemble %.2f; test loss: members' mean %.4f,"
                + " ensemble %.4f (%.1f s)", meanAccuracy, accuracy, meanLoss, loss, seconds)));
        assertTrue(loss <= meanLoss + 1e-6, "ensemble test loss " + loss + " above the members' mean " + meanLoss);
        assertTrue(accuracy >= meanAccuracy - 0.03, "ensemble test accuracy " + accuracy + " below the members' mean " + meanAccuracy);
        assertTrue(accuracy >= 0.80, "ECG200 ensemble test accuracy " + accuracy + " < 0.80");
    }
}
