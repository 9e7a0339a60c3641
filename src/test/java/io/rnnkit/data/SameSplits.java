package io.rnnkit.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splits streamed from the cache against the in-memory path's, for layouts with a class per step. */
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
}
