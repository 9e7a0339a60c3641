package io.rnnkit.nn;

import io.rnnkit.config.ScheduleConfig;
import io.rnnkit.config.ScheduleKind;
import io.rnnkit.config.UpdaterConfig;
import io.rnnkit.config.UpdaterKind;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Yaml;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdatersTest {

    @Test
    void polyScheduleDecaysLinearlyFromTheInitialRateOverTheEpochs() {
        IUpdater adam = Updaters.of(new UpdaterConfig(UpdaterKind.ADAM, 0.01, 0.9,
                new ScheduleConfig(ScheduleKind.POLY, 0.5, 10, 1)), 10);
        // lr0 · (1 − e/10): ND4J's own PolySchedule gives lr0 · (1 + e/10), rising to 0.019 at epoch 9
        assertEquals(0.01, adam.getLearningRate(0, 0), 1e-12);
        assertEquals(0.005, adam.getLearningRate(1234, 5), 1e-12);
        assertEquals(0.001, adam.getLearningRate(5000, 9), 1e-12);
    }

    @Test
    void polySchedulePowerShapesTheDecay() {
        IUpdater sgd = Updaters.of(new UpdaterConfig(UpdaterKind.SGD, 0.1, 0.9,
                new ScheduleConfig(ScheduleKind.POLY, 0.5, 10, 2)), 4);
        assertEquals(0.1 * 0.75 * 0.75, sgd.getLearningRate(0, 1), 1e-12);
        assertEquals(0.1 * 0.25 * 0.25, sgd.getLearningRate(0, 3), 1e-12);
    }

    private static IUpdater updater(String schedule, int epochs) {
        return Updaters.of(Yaml.load(Yaml.MINIMAL, "training.epochs=" + epochs, "training.updater.learningRate=0.01",
                "training.updater.schedule=" + schedule).config().training().updater(), epochs);
    }

    @Test
    void cosineDecaysFromTheRateToTheFloorOverTheEpochs() {
        IUpdater u = updater("{type: cosine, floor: 0.001}", 10);
        assertEquals(0.01, u.getLearningRate(0, 0), 1e-12);
        assertEquals(0.001 + 0.009 * 0.5, u.getLearningRate(77, 5), 1e-12); // halfway: the mean of rate and floor
        assertEquals(0.001 + 0.009 * (1 + Math.cos(Math.PI * 0.9)) / 2, u.getLearningRate(0, 9), 1e-12);
        assertTrue(u.getLearningRate(0, 9) < 0.0013);
    }

    @Test
    void warmupRampsLinearlyInEpochsOrIterationsThenLeavesTheSchedule() {
        IUpdater epochs = updater("{warmup: 4}", 10);
        assertEquals(0.0025, epochs.getLearningRate(999, 0), 1e-12);
        assertEquals(0.0075, epochs.getLearningRate(0, 2), 1e-12);
        assertEquals(0.01, epochs.getLearningRate(0, 4), 1e-12);
        IUpdater iterations = updater("{warmup: 100, warmupUnit: iterations, type: cosine}", 10);
        assertEquals(0.01 * 50 / 100, iterations.getLearningRate(49, 0), 1e-12);
        assertEquals(0.01, iterations.getLearningRate(100, 0), 1e-12);
        // combined: the warm-up multiplies the cosine's rate of the epoch
        double cosine5 = 0.01 * (1 + Math.cos(Math.PI * 0.5)) / 2;
        assertEquals(cosine5 * 10 / 100, iterations.getLearningRate(9, 5), 1e-12);
        assertEquals(cosine5, iterations.getLearningRate(500, 5), 1e-12);
    }

    @Test
    void defaultsKeepNd4jsOwnScheduleAndWarmupSurvivesTheNetworksJson() {
        ExperimentConfig plain = Yaml.load(Yaml.MINIMAL).config();
        String json = NetworkBuilder.build(plain, 1, null, 3).getLayerWiseConfigurations().toJson();
        assertFalse(json.contains("WarmupSchedule"), "no warm-up, no plateau: the schedule the network had before");
        ExperimentConfig warm = Yaml.load(Yaml.MINIMAL, "training.epochs=10", "training.updater.schedule={type: cosine, warmup: 3}").config();
        MultiLayerConfiguration conf = NetworkBuilder.build(warm, 1, null, 3).getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        IUpdater u = back.getConf(1).getLayer().getUpdaterByParam("W");
        assertTrue(u instanceof Adam a && a.getLearningRateSchedule() instanceof WarmupSchedule);
        for (int e = 0; e < 10; e++) {
            assertEquals(conf.getConf(1).getLayer().getUpdaterByParam("W").getLearningRate(0, e), u.getLearningRate(0, e), 0.0);
        }
        assertEquals(0.001 / 3, u.getLearningRate(0, 0), 1e-12);
    }
}
