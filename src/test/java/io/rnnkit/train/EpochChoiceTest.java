package io.rnnkit.train;

import io.rnnkit.config.Metric;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The epoch choice on hand-built curves: smoothing passes over a lucky epoch, ties go to the lower loss, folds are averaged. */
class EpochChoiceTest {
    @Test
    void smoothingPassesOverOneLuckyEpoch() {
        // epoch 3 spikes to 0.95 between 0.70s; epochs 6-8 hold 0.90
        double[] accuracy = {0.6, 0.7, 0.95, 0.7, 0.85, 0.9, 0.9, 0.9, 0.85};
        double[] loss = {0.9, 0.8, 0.7, 0.7, 0.6, 0.5, 0.5, 0.5, 0.55};
        assertEquals(3, EpochChoice.best(Metric.ACCURACY, accuracy, loss, 1), "unsmoothed, the spike wins");
        assertEquals(8, EpochChoice.best(Metric.ACCURACY, accuracy, loss, 3), "over 3 epochs, the held 0.90 wins");
        assertEquals((0.95 + 0.7 + 0.85) / 3, EpochChoice.smoothed(accuracy, 4, 3), 1e-12);
        assertEquals((0.6 + 0.7) / 2, EpochChoice.smoothed(accuracy, 1, 3), 1e-12, "fewer epochs at the start");
    }

    @Test
    void tiesGoToTheLowerValidationLoss() {
        // accuracy 1.0 from epoch 2 on, the loss lowest at epoch 4 then rising
        double[] accuracy = {0.9, 1.0, 1.0, 1.0, 1.0, 1.0};
        double[] loss = {0.5, 0.3, 0.2, 0.1, 0.4, 2.0};
        assertEquals(2, EpochChoice.best(Metric.ACCURACY, accuracy, loss, 1), "unsmoothed, an equal metric keeps the earlier epoch, as always");
        assertEquals(4, EpochChoice.best(Metric.ACCURACY, accuracy, loss, 2), "over 2 epochs: (0.2+0.1)/2 at epoch 4 is the lowest");
        double[] flat = {0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
        assertEquals(5, EpochChoice.best(Metric.ACCURACY, flat, new double[]{0.5, 0.3, 0.2, 0.15, 0.1, 0.4, 2.0}, 3),
                "smoothed over 3: accuracy 1.0 from epoch 4, the loss lowest at epoch 5");
        // a strictly better metric wins whatever its loss
        assertEquals(3, EpochChoice.best(Metric.ACCURACY, new double[]{0.5, 0.6, 0.55, 0.6}, new double[]{0.1, 0.9, 0.2, 0.95}, 2),
                "over 2 epochs a better mean (epoch 3) wins whatever its loss; an equal one (epoch 4) with a higher loss does not");
        // for loss itself, lower is better and the tie-break is the same curve
        assertEquals(2, EpochChoice.best(Metric.LOSS, new double[]{0.5, 0.2, 0.3}, new double[]{0.5, 0.2, 0.3}, 1));
    }

    @Test
    void foldsAreAveragedOverTheirCommonLength() {
        double[] mean = EpochChoice.mean(List.of(new double[]{0.5, 0.7, 0.9}, new double[]{0.7, 0.9}));
        assertArrayEquals(new double[]{0.6, 0.8}, mean, 1e-12);
    }

    @Test
    void theTrainingLoopSmoothsItsHistoryAsTheChoiceDoes() {
        List<EpochRecord> history = new ArrayList<>();
        double[] accuracy = {0.6, 0.8, 1.0};
        for (int e = 0; e < accuracy.length; e++) {
            history.add(new EpochRecord(e + 1, 0, Map.of("accuracy", accuracy[e], "loss", 1.0 - e * 0.1), 0, false));
        }
        double[] now = Trainer.smoothed(history, Map.of("accuracy", 0.4, "loss", 0.9), "accuracy", 3);
        assertEquals((0.8 + 1.0 + 0.4) / 3, now[0], 1e-12);
        assertEquals((0.9 + 0.8 + 0.9) / 3, now[1], 1e-12);
    }
}
