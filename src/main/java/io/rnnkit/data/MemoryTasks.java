package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Long-dependency tasks: the answer depends on inputs far from the end of the sequence, so a network learns
 * them only if the error signal survives backpropagation through that many steps (Bengio, Simard &amp;
 * Frasconi 1994; Hochreiter &amp; Schmidhuber 1997).
 *
 * <ul>
 * <li><b>adding</b> (Hochreiter &amp; Schmidhuber 1997, experiment 4; in the form of Le, Jaitly &amp; Hinton
 * 2015): two features per step, a value {@code x_t ~ U(0, 1)} and a marker {@code m_t ∈ {0, 1}}; exactly one
 * marker falls in the first half and one in the second. The target is {@code y = Σ_t m_t·x_t}. Always
 * answering 1 scores MAE 1/3 and RMSE √(1/6) ≈ 0.408: a network below that has learned to look back.</li>
 * <li><b>recall</b>: the first step shows one of {@value #SYMBOLS} symbols (one-hot), the next
 * {@code length − 1} steps show random distractor symbols on separate channels; the class is the first
 * symbol. The lag between cue and answer is {@code length − 1}; chance accuracy is 1/{@value #SYMBOLS}.</li>
 * </ul>
 */
public final class MemoryTasks {
    /** Symbols of the recall task, which are its classes. */
    public static final int SYMBOLS = 4;
    public static final List<String> RECALL_CLASSES = List.of("A", "B", "C", "D");

    private MemoryTasks() {
    }

    /** {@code count} adding-problem sequences of {@code length} steps, each {@code [length][2]} (value, marker). */
    public static SequenceSet adding(int count, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>(count);
        double[][] targets = new double[count][1];
        int half = Math.max(1, length / 2);
        for (int i = 0; i < count; i++) {
            double[][] s = new double[length][2];
            for (int t = 0; t < length; t++) {
                s[t][0] = random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(length - half);
            s[first][1] = 1;
            s[second][1] = 1;
            targets[i][0] = s[first][0] + s[second][0];
            sequences.add(s);
        }
        return SequenceSet.regressed(sequences, targets);
    }

    /**
     * {@code samplesPerClass} recall sequences per symbol, each {@code [length][2·SYMBOLS]}: channels
     * {@code 0..SYMBOLS−1} carry the cue at step 0, channels {@code SYMBOLS..2·SYMBOLS−1} a random distractor at
     * every later step.
     */
    public static SequenceSet recall(int samplesPerClass, int length, long seed) {
        Random random = new Random(seed);
        List<double[][]> sequences = new ArrayList<>();
        int[] labels = new int[SYMBOLS * samplesPerClass];
        for (int c = 0; c < SYMBOLS; c++) {
            for (int i = 0; i < samplesPerClass; i++) {
                double[][] s = new double[length][2 * SYMBOLS];
                s[0][c] = 1;
                for (int t = 1; t < length; t++) {
                    s[t][SYMBOLS + random.nextInt(SYMBOLS)] = 1;
                }
                sequences.add(s);
                labels[c * samplesPerClass + i] = c;
            }
        }
        return SequenceSet.classified(sequences, labels);
    }
}
