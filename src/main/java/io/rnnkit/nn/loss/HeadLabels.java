package io.rnnkit.nn.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Labels for a grouped head: DL4J's output layers require labels of the output's shape, so each target value is
 * repeated over the columns of its group (a head with {@code groupSize} outputs per target).
 */
public final class HeadLabels {

    private HeadLabels() {
    }

    /**
     * {@code targets} [rows, targets] or [rows, targets, steps] becomes [rows, targets * groupSize(, steps)], target
     * t in columns {@code t*groupSize ... t*groupSize + groupSize - 1}.
     */
    public static INDArray repeat(INDArray targets, int groupSize) {
        long width = targets.size(1);
        long[] shape = targets.shape().clone();
        shape[1] = width * groupSize;
        INDArray out = Nd4j.create(targets.dataType(), shape);
        for (long t = 0; t < width; t++) {
            INDArray column = targets.get(column(targets.rank(), t, t + 1));
            for (int j = 0; j < groupSize; j++) {
                long c = t * groupSize + j;
                out.get(column(targets.rank(), c, c + 1)).assign(column);
            }
        }
        return out;
    }

    private static INDArrayIndex[] column(int rank, long from, long to) {
        return rank == 2 ? new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, to)}
                : new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all()};
    }
}
