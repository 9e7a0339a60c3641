package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One loaded model serving many threads: streams never see each other's recurrent state, and one-shot calls
 * give what they give on one thread. Every sequence differs, so a state or batch leaking from one call into
 * another changes the numbers.
 */
class ConcurrencyTest {
    private static final int THREADS = 16;
    private static final int STREAMS_PER_THREAD = 16;

    /** 256 different sequences of the classifier's length: test sequences, each with its own seeded noise. */
    private static List<double[][]> sequences(int count) {
        List<double[][]> base = TrainedModels.sequences(TrainedModels.classifier().run().data().test());
        Random random = new Random(3);
        List<double[][]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[][] source = base.get(i % base.size());
            double[][] sequence = new double[source.length][1];
            for (int t = 0; t < source.length; t++) {
                sequence[t][0] = source[t][0] + 3 * random.nextGaussian();
            }
            out.add(sequence);
        }
        return out;
    }

    /** Runs {@code THREADS} tasks that start together, and returns their results in order. */
    private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(5, TimeUnit.MINUTES));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenThreadsOfSixteenStreamsEachGiveTheSingleThreadedOutputs() throws Exception {
        RnnModel model = RnnModel.load(TrainedModels.classifier().bundle());
        List<double[][]> sequences = sequences(THREADS * STREAMS_PER_THREAD);
        int steps = sequences.get(0).length;

        double[][][] expected = new double[sequences.size()][steps][];
        for (int s = 0; s < sequences.size(); s++) {
            ModelStream stream = model.openStream();
            for (int t = 0; t < steps; t++) {
                expected[s][t] = stream.step(sequences.get(s)[t]);
            }
        }

        List<Callable<double[][][]>> threads = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int first = thread * STREAMS_PER_THREAD;
            threads.add(() -> {
                ModelStream[] streams = new ModelStream[STREAMS_PER_THREAD];
                for (int k = 0; k < STREAMS_PER_THREAD; k++) {
                    streams[k] = model.openStream();
                }
                double[][][] outputs = new double[STREAMS_PER_THREAD][steps][];
                for (int t = 0; t < steps; t++) {
                    for (int k = 0; k < STREAMS_PER_THREAD; k++) {
                        outputs[k][t] = streams[k].step(sequences.get(first + k)[t]);
                    }
                }
                return outputs;
            });
        }
        List<double[][][]> results = together(threads);
        for (int thread = 0; thread < THREADS; thread++) {
            for (int k = 0; k < STREAMS_PER_THREAD; k++) {
                int s = thread * STREAMS_PER_THREAD + k;
                for (int t = 0; t < steps; t++) {
                    assertArrayEquals(expected[s][t], results.get(thread)[k][t], 1e-6, "stream " + s + " step " + t);
                }
            }
        }
        for (int s = 0; s < sequences.size(); s += 37) {
            assertArrayEquals(model.classify(sequences.get(s)).probabilities(), expected[s][steps - 1], 1e-6,
                    "the single-threaded reference itself ends where classify does");
        }
    }

    @Test
    void concurrentOneShotCallsGiveTheSingleThreadedAnswers() throws Exception {
        RnnModel model = RnnModel.load(TrainedModels.classifier().bundle());
        List<double[][]> sequences = sequences(THREADS * 4);
        List<Classification> expected = model.classify(sequences);
        List<Callable<List<Classification>>> threads = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            List<double[][]> mine = sequences.subList(thread * 4, thread * 4 + 4);
            boolean batch = thread % 2 == 0;
            threads.add(() -> {
                if (batch) {
                    return model.classify(mine);
                }
                List<Classification> out = new ArrayList<>();
                for (double[][] sequence : mine) {
                    out.add(model.classify(sequence));
                }
                return out;
            });
        }
        List<List<Classification>> results = together(threads);
        for (int thread = 0; thread < THREADS; thread++) {
            for (int k = 0; k < 4; k++) {
                Classification want = expected.get(thread * 4 + k);
                Classification got = results.get(thread).get(k);
                assertArrayEquals(want.probabilities(), got.probabilities(), 1e-6, "thread " + thread + " sequence " + k);
                assertEquals(want.label(), got.label());
            }
        }
    }
}
