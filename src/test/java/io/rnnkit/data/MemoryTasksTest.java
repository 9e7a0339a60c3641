package io.rnnkit.data;

import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long-dependency generators make what their Javadoc promises, and load through a config. */
class MemoryTasksTest {
    @Test
    void addingHasOneMarkerInEachHalfAndTheirSumAsTarget() {
        SequenceSet set = MemoryTasks.adding(50, 20, 3);
        assertEquals(50, set.size());
        for (int i = 0; i < set.size(); i++) {
            double[][] s = set.sequence(i);
            double sum = 0;
            int first = 0;
            int second = 0;
            for (int t = 0; t < s.length; t++) {
                assertTrue(s[t][0] >= 0 && s[t][0] < 1);
                if (s[t][1] == 1) {
                    sum += s[t][0];
                    if (t < 10) {
                        first++;
                    } else {
                        second++;
                    }
                } else {
                    assertEquals(0, s[t][1]);
                }
            }
            assertEquals(1, first, "one marker in the first half");
            assertEquals(1, second, "one marker in the second half");
            assertEquals(sum, set.target(i)[0], 1e-12);
        }
        assertNotEquals(MemoryTasks.adding(50, 20, 3).target(0)[0], MemoryTasks.adding(50, 20, 4).target(0)[0], "seeded");
    }

    @Test
    void recallShowsItsClassOnlyAtTheFirstStep() {
        SequenceSet set = MemoryTasks.recall(5, 30, 1);
        assertEquals(4 * 5, set.size());
        for (int i = 0; i < set.size(); i++) {
            double[][] s = set.sequence(i);
            for (int c = 0; c < 2 * MemoryTasks.SYMBOLS; c++) {
                assertEquals(c == set.classOf(i) ? 1 : 0, s[0][c], "step 0 is the cue alone");
            }
            for (int t = 1; t < s.length; t++) {
                double cue = 0;
                double distractor = 0;
                for (int c = 0; c < MemoryTasks.SYMBOLS; c++) {
                    cue += s[t][c];
                    distractor += s[t][MemoryTasks.SYMBOLS + c];
                }
                assertEquals(0, cue, "no cue after step 0");
                assertEquals(1, distractor, "one distractor per later step");
            }
        }
    }

    @Test
    void bothLoadThroughAConfigWithTheirTaskKind() {
        SplitData adding = DatasetLoader.load(Yaml.load(Yaml.MINIMAL, "data.generator={kind: adding, samplesPerClass: 40, length: 8}",
                "task.kind=regression", "data.split.stratify=false"));
        assertEquals(java.util.List.of("sum"), adding.classes());
        assertEquals(2, adding.features());
        SplitData recall = DatasetLoader.load(Yaml.load(Yaml.MINIMAL, "data.generator={kind: recall, samplesPerClass: 10, length: 8}"));
        assertEquals(MemoryTasks.RECALL_CLASSES, recall.classes());
        assertEquals(8, recall.features());
    }
}
