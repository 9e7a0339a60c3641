package io.rnnkit.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/** A trained network (with its best epoch's parameters when restoring) and how training went. */
public record TrainingResult(MultiLayerNetwork network, List<EpochRecord> history, int bestEpoch, boolean stoppedEarly, double seconds) {
    public TrainingResult {
        history = List.copyOf(history);
    }
}
