package io.rnnkit.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Minibatches of a split (tensors in memory, or a {@link Source} that reads them when asked), reshuffled at every {@link #reset()} with a seeded generator, so
 * that epoch k always sees the same order for the same seed. Not asynchronous: DL4J must not prefetch on
 * another thread, which would make runs depend on timing. With {@code training.augmentation}, each
 * minibatch is a distorted copy, drawn from a generator seeded by (seed, epoch) like the order.
 */
public final class EpochIterator implements DataSetIterator {
    /** Where minibatches come from: examples by their index. */
    public interface Source {
        int size();

        /** The examples at {@code indices}, in that order. */
        DataSet get(int[] indices);

        int inputColumns();

        int totalOutcomes();
    }

    private final Source all;
    private final int shardSize;
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
        this(new Source() {
            @Override
            public int size() {
                return all.numExamples();
            }

            @Override
            public DataSet get(int[] indices) {
                return all.get(indices);
            }

            @Override
            public int inputColumns() {
                return (int) all.getFeatures().size(1);
            }

            @Override
            public int totalOutcomes() {
                return (int) all.getLabels().size(1);
            }
        }, batchSize, shuffle, seed, augmentation, 0);
    }

    /**
     * @param shardSize 0 or at least the examples: one order over all, as above; else the examples are taken a shard (that
     *                  many consecutive examples) at a time, shards in a seeded order and each shuffled within, so a
     *                  minibatch reads from one or two stretches of a streamed file rather than from all over it
     */
    public EpochIterator(Source all, int batchSize, boolean shuffle, long seed, Augmentation augmentation, int shardSize) {
        this.all = all;
        this.shardSize = shardSize;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation != null && augmentation.active() ? augmentation : null;
        startEpoch(0);
    }

    private int[] permutation(int epochIndex) {
        int n = all.size();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (!shuffle) {
            return p;
        }
        Random random = new Random(seed * 1_000_003L + epochIndex);
        if (shardSize <= 0 || shardSize >= n) {
            shuffle(p, 0, n, random);
            return p;
        }
        // the same generator first orders the shards, then shuffles each within (one shard: the order above)
        int[] shards = new int[(n + shardSize - 1) / shardSize];
        for (int s = 0; s < shards.length; s++) {
            shards[s] = s;
        }
        shuffle(shards, 0, shards.length, random);
        int at = 0;
        for (int s : shards) {
            int from = at;
            for (int i = s * shardSize; i < Math.min(n, (s + 1) * shardSize); i++) {
                p[at++] = i;
            }
            shuffle(p, from, at, random);
        }
        return p;
    }

    /** Fisher-Yates over {@code p[from, to)}. */
    private static void shuffle(int[] p, int from, int to, Random random) {
        for (int i = to - from - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = p[from + i];
            p[from + i] = p[from + j];
            p[from + j] = swap;
        }
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
        return (all.size() + batchSize - 1) / batchSize;
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

    /**
     * Passes the next minibatch without reading it (a data-parallel worker passing the others' minibatches); with
     * augmentation it is read and dropped, so that the distortions of the following minibatches stay a local run's.
     */
    public void skip() {
        if (distortions != null) {
            next();
            return;
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        cursor = Math.min(cursor + batchSize, order.length);
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
        return all.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return all.totalOutcomes();
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
