package io.rnnkit.nn;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Samples text from a next-token network one step at a time with {@code rnnTimeStep}, so each new token costs
 * one step, not a re-run of the whole prefix. At each step the distribution p is sharpened or flattened by
 * the temperature τ, p'_i ∝ p_i^{1/τ} (τ → 0 approaches greedy choice), and optionally restricted to the k
 * most likely tokens. The same RNG seed gives the same text.
 *
 * <p>Not thread-safe: it drives the network's own recurrent state.
 */
public final class TokenSampler {
    private final MultiLayerNetwork net;
    private final List<String> vocabulary;
    private final Map<String, Integer> index;
    private final int unknown;

    /**
     * @param vocabulary tokens in index order: the network's input indices and output classes
     * @param unknown    index fed for seed tokens outside the vocabulary
     */
    public TokenSampler(MultiLayerNetwork net, List<String> vocabulary, Map<String, Integer> index, int unknown) {
        this.net = net;
        this.vocabulary = List.copyOf(vocabulary);
        this.index = Map.copyOf(index);
        this.unknown = unknown;
    }

    /**
     * @param seed        tokens fed before sampling starts (at least one)
     * @param length      tokens to sample at most
     * @param stop        token that ends the sample when drawn (not included), or null
     * @param temperature τ &gt; 0
     * @param topK        keep the k most likely tokens (0 keeps all)
     * @param rngSeed     seed of the sampling RNG
     * @return the sampled tokens (without the seed)
     */
    public List<String> sample(List<String> seed, int length, String stop, double temperature, int topK, long rngSeed) {
        if (seed.isEmpty()) {
            throw new IllegalArgumentException("the seed needs at least one token");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        // SplittableRandom mixes its seed: java.util.Random gives near-equal first draws for seeds 1, 2, 3 ...
        SplittableRandom random = new SplittableRandom(rngSeed);
        net.rnnClearPreviousState();
        INDArray probabilities = null;
        for (String token : seed) {
            probabilities = step(index.getOrDefault(token, unknown));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int next = draw(probabilities, temperature, topK, random);
            String token = vocabulary.get(next);
            if (token.equals(stop)) {
                break;
            }
            out.add(token);
            probabilities = step(next);
        }
        net.rnnClearPreviousState();
        return out;
    }

    private INDArray step(int token) {
        INDArray input = Nd4j.create(new float[]{token}, new long[]{1, 1, 1}, 'c');
        return net.rnnTimeStep(input).reshape(vocabulary.size());
    }

    /** Draws an index from p'_i ∝ p_i^{1/τ} over the top k. */
    static int draw(INDArray probabilities, double temperature, int topK, SplittableRandom random) {
        int v = (int) probabilities.length();
        double[] p = new double[v];
        for (int i = 0; i < v; i++) {
            p[i] = Math.max(probabilities.getDouble(i), 1e-30);
        }
        if (topK > 0 && topK < v) {
            double[] sorted = p.clone();
            Arrays.sort(sorted);
            double threshold = sorted[v - topK];
            for (int i = 0; i < v; i++) {
                if (p[i] < threshold) {
                    p[i] = 0;
                }
            }
        }
        double max = Arrays.stream(p).max().orElse(1);
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = p[i] == 0 ? 0 : Math.exp((Math.log(p[i]) - Math.log(max)) / temperature);
            sum += p[i];
        }
        double u = random.nextDouble() * sum;
        for (int i = 0; i < v; i++) {
            u -= p[i];
            if (u <= 0 && p[i] > 0) {
                return i;
            }
        }
        for (int i = v - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
