package io.rnnkit.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Minibatches of an in-memory split, reshuffled at every {@link #reset()} with a seeded generator, so
 * that epoch k always sees the same order for the same seed. Not asynchronous: DL4J must not prefetch on
 * another thread, which would make runs depend on timing. With {@code training.augmentation}, each
 * minibatch is a distorted copy, drawn from a generator seeded by (seed, epoch) like the order.
 */
public final class EpochIterator implements DataSetIterator {
    private final DataSet all;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final Augmentation augmentation;
    private Random distortions;
    private int epoch;
    private int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    public EpochIterator(DataSet all, int batchSize, boolean shuffle, long seed) {
        this(all, batchSize, shuffle, seed, null);
    }

    /** @param augmentation distortions of every minibatch, or null for none */
    public EpochIterator(DataSet all, int batchSize, boolean shuffle, long seed, Augmentation augmentation) {
        this.all = all;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation != null && augmentation.active() ? augmentation : null;
        startEpoch(0);
    }

    private int[] permutation(int epochIndex) {
        int n = all.numExamples();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (shuffle) {
            Random random = new Random(seed * 1_000_003L + epochIndex);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = p[i];
                p[i] = p[j];
                p[j] = swap;
            }
        }
        return p;
    }

    /** Positions the iterator at the start of the given epoch (for resuming). */
    public void startEpoch(int epochIndex) {
        epoch = epochIndex;
        order = permutation(epochIndex);
        cursor = 0;
        distortions = augmentation == null ? null : new Random(seed * 1_000_039L + epochIndex * 7_919L + 1);
    }

    /** Number of minibatches per epoch. */
    public int batchesPerEpoch() {
        return (all.numExamples() + batchSize - 1) / batchSize;
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int end = Math.min(cursor + num, order.length);
        int[] indices = java.util.Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        DataSet batch = all.get(indices);
        if (distortions != null) {
            batch.setFeatures(augmentation.apply(batch.getFeatures(), batch.getFeaturesMaskArray(), distortions));
        }
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    @Override
    public int inputColumns() {
        return (int) all.getFeatures().size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) all.getLabels().size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
