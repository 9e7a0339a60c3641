package io.rnnkit.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A streamed set's labels are read once a sequence where its tensors and fingerprint are built, not once a step
 * (which cost each sequence's labels T times, O(T²) a sequence, for streamed pairs and text), and what is built is the
 * in-memory set's.
 */
class LabelReadsTest {
    private static final int N = 3;
    private static final int T = 40;

    /**
     * Classes 1..3, with {@code source} the first steps unlabelled as a pair's source is (sparse labels only: a one-hot
     * label has no place for them).
     */
    private static int[] labels(int i, boolean source) {
        return IntStream.range(0, T).map(t -> source && t < 5 + i ? DelayedPairs.NO_LABEL : 1 + (t + i) % 3).toArray();
    }

    private static double[][] inputs(int i) {
        return IntStream.range(0, T).mapToObj(t -> new double[]{t * 0.5 + i}).toArray(double[][]::new);
    }

    private static SequenceSet streamed(AtomicInteger reads, boolean source) {
        int[] all = IntStream.range(0, N).toArray();
        return SequenceSet.cachedPerStep(new SequenceCache.View<>(all, LabelReadsTest::inputs), new SequenceCache.View<>(all, i -> {
            reads.incrementAndGet();
            return labels(i, source);
        }), T, T);
    }

    private static SequenceSet inMemory(boolean source) {
        List<double[][]> sequences = new ArrayList<>();
        List<int[]> classes = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            sequences.add(inputs(i));
            classes.add(labels(i, source));
        }
        return SequenceSet.classifiedPerStep(sequences, classes);
    }

    @Test
    void tensorsReadEachSequencesLabelsOnceAndMatchTheInMemorySet() {
        for (boolean sparse : new boolean[]{false, true}) {
            AtomicInteger reads = new AtomicInteger();
            DataSet streamed = Tensors.dataSet(streamed(reads, sparse), 4, sparse);
            // one read for the labels, one for the label mask (the source steps), per sequence: T of each before
            assertEquals(2 * N, reads.get(), "label reads, sparse " + sparse);
            DataSet held = Tensors.dataSet(inMemory(sparse), 4, sparse);
            assertEquals(held.getFeatures(), streamed.getFeatures());
            assertEquals(held.getLabels(), streamed.getLabels());
            assertEquals(held.getLabelsMaskArray(), streamed.getLabelsMaskArray());
        }
    }

    @Test
    void theFingerprintReadsEachSequencesLabelsOnceAndIsTheInMemorySets() {
        AtomicInteger reads = new AtomicInteger();
        String streamed = DatasetLoader.fingerprint(List.of("a", "b", "c", "d"), streamed(reads, true));
        assertEquals(N, reads.get());
        assertEquals(DatasetLoader.fingerprint(List.of("a", "b", "c", "d"), inMemory(true)), streamed);
    }
}
