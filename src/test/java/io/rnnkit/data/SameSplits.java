package io.rnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splits streamed from the cache against the in-memory path's. */
final class SameSplits {
    private SameSplits() {
    }

    /**
     * The same vocabulary and classes, and in every split the same sequences step for step, the same per-step classes and
     * the same shortest and longest lengths (known from the cache's index: what pads the minibatches as in memory).
     */
    static void assertPerStepSplitsEqual(SplitData memory, SplitData streamed) {
        assertTrue(streamed.train().streamed() && !memory.train().streamed());
        assertEquals(memory.vocabulary(), streamed.vocabulary());
        assertEquals(memory.classes(), streamed.classes());
        for (SequenceSet[] pair : new SequenceSet[][]{{memory.train(), streamed.train()}, {memory.validation(), streamed.validation()},
                {memory.test(), streamed.test()}}) {
            SequenceSet a = pair[0];
            SequenceSet b = pair[1];
            assertTrue(a.size() > 0);
            assertEquals(a.size(), b.size());
            assertTrue(b.perStep());
            for (int i = 0; i < a.size(); i++) {
                double[][] x = a.sequence(i);
                double[][] y = b.sequence(i);
                assertEquals(x.length, y.length, "sequence " + i);
                for (int t = 0; t < x.length; t++) {
                    assertArrayEquals(x[t], y[t], "sequence " + i + " step " + t);
                    assertEquals(a.classAt(i, t), b.classAt(i, t), "sequence " + i + " step " + t);
                }
            }
            assertEquals(a.maxLength(), b.maxLength());
            assertEquals(a.minLength(), b.minLength());
        }
    }

    /**
     * The same sequences (the in-memory values as float32, as the cache holds them) with the same labels at every step (a
     * label per sequence is every step's), split alike; for layouts read from files.
     */
    static void assertSplitsEqual(SplitData memory, SplitData streamed) {
        SequenceSet[][] pairs = {{memory.train(), streamed.train()}, {memory.validation(), streamed.validation()}, {memory.test(), streamed.test()}};
        for (SequenceSet[] pair : pairs) {
            SequenceSet a = pair[0];
            SequenceSet b = pair[1];
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                double[][] x = a.sequence(i);
                double[][] y = b.sequence(i);
                assertEquals(x.length, y.length, "sequence " + i);
                for (int t = 0; t < x.length; t++) {
                    for (int f = 0; f < x[t].length; f++) {
                        assertEquals((float) x[t][f], y[t][f], 0.0, i + " step " + t);
                    }
                    if (a.isClassification()) {
                        assertEquals(a.classAt(i, t), b.classAt(i, t), i + " step " + t);
                    } else {
                        assertArrayEquals(a.targetAt(i, t), b.targetAt(i, t), 0.0, i + " step " + t);
                    }
                }
            }
        }
    }
}
