package io.rnnkit.nn;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Yaml;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decoding a delayed network step by step agrees with the network run on whole padded, masked sequences (as
 * in training); greedy decoding batched by length equals decoding one by one; beam search of width 1 is
 * greedy, and of a width that holds every possible output it finds the exact best.
 */
class SequenceDecoderTest {
    // input: 3 source symbols, <sep> = 3, then 2 target symbols fed back; output: <end> and the 2 target symbols
    private static final int SOURCE = 3;
    private static final int SEPARATOR = SOURCE;
    private static final int CLASSES = 3;
    private static final int MAX_LENGTH = 4;

    private static MultiLayerNetwork network(long seed, double scale) {
        ExperimentConfig config = Yaml.load("""
                name: t
                seed: %d
                task: {topology: sequence-to-sequence}
                data: {format: generated, generator: {kind: reversal}, normalizer: none}
                model: {embeddingSize: 3, layers: [{type: gru, units: 6}, {type: lstm, units: 5}]}
                """.formatted(seed)).config();
        MultiLayerNetwork net = NetworkBuilder.build(config, SOURCE + 1 + CLASSES - 1, CLASSES);
        // larger weights than the initial ones give sharper, more varied distributions to decode
        net.setParams(net.params().mul(scale));
        return net;
    }

    private static List<int[]> sources(int n, long seed) {
        Random random = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] s = new int[1 + random.nextInt(5)];
            for (int t = 0; t < s.length; t++) {
                s[t] = random.nextInt(SOURCE);
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void greedyInBatchesOfEqualLengthEqualsOneByOneAndBeamWidthOne() {
        MultiLayerNetwork net = network(3, 3);
        SequenceDecoder decoder = new SequenceDecoder(net, SEPARATOR, MAX_LENGTH);
        List<int[]> sources = sources(40, 1);
        List<int[]> batched = decoder.greedy(sources);
        for (int i = 0; i < sources.size(); i++) {
            assertArrayEquals(decoder.greedy(List.of(sources.get(i))).get(0), batched.get(i), "source " + i);
            assertArrayEquals(decoder.beam(sources.get(i), 1), batched.get(i), "beam width 1, source " + i);
        }
    }

    @Test
    void stepByStepDecodingAgreesWithWholePaddedMaskedSequences() {
        MultiLayerNetwork net = network(4, 3);
        List<int[]> sources = sources(30, 2);
        List<int[]> decoded = new SequenceDecoder(net, SEPARATOR, MAX_LENGTH).greedy(sources);
        int steps = 0;
        for (int i = 0; i < sources.size(); i++) {
            steps = Math.max(steps, sources.get(i).length + 1 + decoded.get(i).length);
        }
        float[] x = new float[sources.size() * steps];
        float[] mask = new float[sources.size() * steps];
        for (int i = 0; i < sources.size(); i++) {
            int[] in = input(sources.get(i), decoded.get(i));
            for (int t = 0; t < in.length; t++) {
                x[i * steps + t] = in[t];
                mask[i * steps + t] = 1;
            }
        }
        INDArray out = net.output(Nd4j.create(x, new long[]{sources.size(), 1, steps}, 'c'), false,
                Nd4j.create(mask, new long[]{sources.size(), steps}, 'c'), null);
        int ended = 0;
        for (int i = 0; i < sources.size(); i++) {
            int n = sources.get(i).length;
            int[] y = decoded.get(i);
            for (int k = 0; k <= y.length && (k < y.length || y.length < MAX_LENGTH); k++) {
                int argmax = out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(n + k)).argMax().getInt(0);
                assertEquals(k < y.length ? y[k] : 0, argmax, "source " + i + ", output " + k);
                ended += k == y.length ? 1 : 0;
            }
        }
        assertEquals(true, ended > 0 && ended < sources.size(), "some translations end before the limit, some reach it: " + ended);
    }

    @Test
    void aBeamAsWideAsAllOutputsFindsTheExactBest() {
        MultiLayerNetwork net = network(5, 1.5);
        SequenceDecoder decoder = new SequenceDecoder(net, SEPARATOR, MAX_LENGTH);
        int differs = 0;
        for (int[] source : sources(10, 3)) {
            int[] best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int[] candidate : allOutputs()) {
                double score = score(net, source, candidate);
                if (score > bestScore) {
                    bestScore = score;
                    best = candidate;
                }
            }
            int[] beam = decoder.beam(source, 32);
            assertArrayEquals(best, beam, "source " + Arrays.toString(source));
            differs += Arrays.equals(beam, decoder.greedy(List.of(source)).get(0)) ? 0 : 1;
        }
        assertEquals(true, differs > 0, "the exact best differs from the greedy choice for some source, so the search is tested");
    }

    private static int[] input(int[] source, int[] target) {
        int[] in = new int[source.length + 1 + target.length];
        System.arraycopy(source, 0, in, 0, source.length);
        in[source.length] = SEPARATOR;
        for (int k = 0; k < target.length; k++) {
            in[source.length + 1 + k] = SEPARATOR + target[k];
        }
        return in;
    }

    /** Σ log p(y_k) plus log p(end) when shorter than the limit, from one forward pass over the whole sequence. */
    private static double score(MultiLayerNetwork net, int[] source, int[] target) {
        int[] in = input(source, target);
        float[] x = new float[in.length];
        for (int t = 0; t < in.length; t++) {
            x[t] = in[t];
        }
        INDArray out = net.output(Nd4j.create(x, new long[]{1, 1, in.length}, 'c'));
        double score = 0;
        for (int k = 0; k <= target.length; k++) {
            if (k == target.length && target.length == MAX_LENGTH) {
                break;
            }
            int c = k < target.length ? target[k] : 0;
            score += Math.log(out.getDouble(0, c, source.length + k));
        }
        return score;
    }

    /** Every output of 0 to MAX_LENGTH target symbols (classes 1 and 2). */
    private static List<int[]> allOutputs() {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        for (int length = 1; length <= MAX_LENGTH; length++) {
            for (int code = 0; code < 1 << length; code++) {
                int[] y = new int[length];
                for (int k = 0; k < length; k++) {
                    y[k] = 1 + ((code >> k) & 1);
                }
                out.add(y);
            }
        }
        return out;
    }
}
