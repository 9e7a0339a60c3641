package io.rnnkit.nn;

import io.rnnkit.config.ScheduleConfig;
import io.rnnkit.config.ScheduleKind;
import io.rnnkit.config.UpdaterConfig;
import io.rnnkit.config.UpdaterKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
