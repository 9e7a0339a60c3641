package io.rnnkit.train;

import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static TrainingResult train(String... overrides) {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, overrides);
        SplitData split = DatasetLoader.load(loaded);
        return Trainer.train(loaded.config(), PreparedData.of(split, loaded.config()), TrainingProgress.SILENT);
    }

    @Test
    void theSameSeedGivesTheSameParameters() {
        float[] a = train("training.epochs=2").network().params().data().asFloat();
        float[] b = train("training.epochs=2").network().params().data().asFloat();
        assertArrayEquals(a, b, 0f);
        float[] c = train("training.epochs=2", "seed=7").network().params().data().asFloat();
        assertFalse(java.util.Arrays.equals(a, c), "another seed gives other parameters");
    }

    @Test
    void bestEpochIsRestoredAndPatienceStopsEarly() {
        TrainingResult r = train("training.epochs=30", "training.updater.learningRate=0.05", "model.layers[0].units=48",
                "training.earlyStopping={metric: loss, patience: 2, restoreBest: true}");
        int best = r.bestEpoch();
        double bestLoss = r.history().get(best - 1).validation().get("loss");
        for (EpochRecord e : r.history()) {
            assertTrue(e.validation().get("loss") >= bestLoss, "epoch " + e.epoch() + " beats the chosen best epoch " + best);
        }
        assertTrue(r.stoppedEarly() && r.history().size() == best + 2, "stops 2 epochs after the best: " + r.history().size() + " vs " + best);
        assertTrue(r.history().get(best - 1).best());
    }

    @Test
    void everyLayerKindAndOptionTrains() {
        TrainingResult r = train("model.layers=[{type: simple-rnn, units: 5, bidirectional: true, dropout: 0.2, activation: softsign},"
                        + " {type: gru, units: 4, bidirectional: true}, {type: lstm, units: 3}]", "model.l2=0.001", "model.weightInit=xavier-uniform",
                "training.updater={type: nesterovs, learningRate: 0.01, schedule: {type: step, decay: 0.5, step: 1}}",
                "training.gradientClipping={type: clip-element-wise, threshold: 0.5}", "training.epochs=2");
        assertEquals(2, r.history().size());
        assertEquals(4, r.network().getnLayers());
        assertTrue(Double.isFinite(r.history().get(1).trainLoss()));
        // the step schedule halves the learning rate after each epoch
        double lr = r.network().getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W").getLearningRate(0, 2);
        assertEquals(0.0025, lr, 1e-12);
    }

    @Test
    void divergenceStopsWithItsEpochAndCure() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> train("training.epochs=3",
                "training.updater={type: sgd, learningRate: 9.9}", "training.gradientClipping.type=none",
                "model.layers=[{type: simple-rnn, units: 64, activation: relu}]", "model.weightInit=uniform"));
        assertTrue(e.getMessage().contains("lower training.updater.learningRate"), e.getMessage());
        assertNotEquals(0, e.epoch());
    }
}
