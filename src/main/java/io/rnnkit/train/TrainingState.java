package io.rnnkit.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the training loop stands after a whole epoch: everything besides the network (parameters and
 * updater state) that a resumed run needs to continue exactly as an uninterrupted one would — the number
 * of epochs done (which, with the seed, fixes the next epoch's minibatch order), the early-stopping state
 * and the history so far, and where reduce-on-plateau stands.
 */
final class TrainingState {
    int epochsDone;
    final List<EpochRecord> history = new ArrayList<>();
    INDArray bestParams;
    double bestValue = Double.NaN;
    int bestEpoch = -1;
    int sinceBest;
    /** Reduce-on-plateau: the best validation metric since the last reduction, the epochs since, the rate's scale. */
    double plateauBest = Double.NaN;
    int plateauSince;
    double learningRateScale = 1.0;
    /** Weight averaging: the sum of the parameters of the epochs averaged so far, null before the first. */
    INDArray averageSum;
    /** The layer thread count the epochs so far ran with (read from a checkpoint; null from one written before it was kept). */
    Integer layerThreads;
}
