package io.rnnkit.nn;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Decodes a delayed sequence-to-sequence network (io.rnnkit.data.DelayedPairs) with {@code rnnTimeStep}: the
 * source and the separator go in as one call, then each emitted symbol is fed back, one step per symbol, until
 * the network emits the end (output class 0) or {@code maxLength} symbols are out.
 *
 * <ul>
 * <li><b>Greedy</b>: the likeliest class at every step. Sources of equal length are decoded together as one
 *     minibatch, so no padding (and no mask, which {@code rnnTimeStep} does not take) is ever needed.</li>
 * <li><b>Beam search</b> of width k: the k hypotheses y with the highest log p(y|x) = Σₜ log p(yₜ | x, y₍&lt;t₎)
 *     are extended by every class; the k best extensions are kept, those ending in the end symbol set aside
 *     as finished. A hypothesis of {@code maxLength} symbols is finished as it stands, without the end's
 *     term, as greedy decoding stops there too; so the score is Σₜ log p(yₜ | x, y₍&lt;t₎) plus log p(end | x, y)
 *     when |y| &lt; maxLength. Log-probabilities only fall as a hypothesis grows, so the search stops once the
 *     best finished hypothesis scores at least as high as every live one. The k hypotheses are one minibatch;
 *     their recurrent state is reordered to follow their parents. Scores are not length-normalised. Width 1
 *     gives the greedy result; a width as large as the number of possible outputs gives the exact best.</li>
 * </ul>
 *
 * <p>Not thread-safe: it drives the network's own recurrent state (give each thread its own network).
 */
public final class SequenceDecoder {
    private static final int BATCH = 256;
    private final MultiLayerNetwork net;
    private final int separator;
    private final int maxLength;
    private final int[] recurrentLayers;

    /**
     * @param net       a trained delayed network (many-to-many, one-way layers)
     * @param separator input index of the separator; output class c is fed back as {@code separator + c}
     * @param maxLength most symbols to emit
     */
    public SequenceDecoder(MultiLayerNetwork net, int separator, int maxLength) {
        this.net = net;
        this.separator = separator;
        this.maxLength = maxLength;
        this.recurrentLayers = IntStream.range(0, net.getnLayers()).filter(i -> net.getLayer(i) instanceof RecurrentLayer).toArray();
    }

    /** Output classes of each source's translation (without the end), in order; beam search when {@code beamWidth} &gt; 1. */
    public List<int[]> decode(List<int[]> sources, int beamWidth) {
        if (beamWidth > 1) {
            List<int[]> out = new ArrayList<>(sources.size());
            for (int[] source : sources) {
                out.add(beam(source, beamWidth));
            }
            return out;
        }
        return greedy(sources);
    }

    /** Greedy decoding, minibatched over sources of equal length. */
    public List<int[]> greedy(List<int[]> sources) {
        int[][] out = new int[sources.size()][];
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            byLength.computeIfAbsent(sources.get(i).length, k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byLength.values()) {
            for (int from = 0; from < group.size(); from += BATCH) {
                List<Integer> batch = group.subList(from, Math.min(group.size(), from + BATCH));
                List<int[]> decoded = greedyBatch(batch.stream().map(sources::get).toList());
                for (int b = 0; b < batch.size(); b++) {
                    out[batch.get(b)] = decoded.get(b);
                }
            }
        }
        return Arrays.asList(out);
    }

    private List<int[]> greedyBatch(List<int[]> sources) {
        int b = sources.size();
        INDArray probabilities = start(sources);
        List<List<Integer>> emitted = new ArrayList<>(b);
        boolean[] done = new boolean[b];
        for (int i = 0; i < b; i++) {
            emitted.add(new ArrayList<>());
        }
        int open = b;
        for (int k = 0; k < maxLength && open > 0; k++) {
            int[] next = probabilities.argMax(1).toIntVector();
            float[] feed = new float[b];
            for (int i = 0; i < b; i++) {
                if (!done[i]) {
                    if (next[i] == 0) {
                        done[i] = true;
                        open--;
                    } else {
                        emitted.get(i).add(next[i]);
                    }
                }
                feed[i] = separator + next[i];
            }
            if (open > 0 && k + 1 < maxLength) {
                probabilities = step(feed);
            }
        }
        net.rnnClearPreviousState();
        return emitted.stream().map(e -> e.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** Feeds each source and the separator (all of one length); the output distribution after the separator, [b, classes]. */
    private INDArray start(List<int[]> sources) {
        int b = sources.size();
        int n = sources.get(0).length;
        float[] x = new float[b * (n + 1)];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < n; t++) {
                x[i * (n + 1) + t] = sources.get(i)[t];
            }
            x[i * (n + 1) + n] = separator;
        }
        net.rnnClearPreviousState();
        INDArray out = net.rnnTimeStep(Nd4j.create(x, new long[]{b, 1, n + 1}, 'c'));
        return out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(n)).dup();
    }

    /** One step for a minibatch of fed-back input indices; the output distribution, [b, classes]. */
    private INDArray step(float[] inputs) {
        INDArray out = net.rnnTimeStep(Nd4j.create(inputs, new long[]{inputs.length, 1, 1}, 'c'));
        return out.reshape(inputs.length, out.size(1));
    }

    private record Hypothesis(int[] classes, double score, int row) {
        Hypothesis extend(int c, double logP, int newRow) {
            int[] longer = Arrays.copyOf(classes, classes.length + 1);
            longer[classes.length] = c;
            return new Hypothesis(longer, score + logP, newRow);
        }
    }

    /** Beam search of the given width for one source. */
    public int[] beam(int[] source, int width) {
        INDArray probabilities = start(List.of(source));
        List<Hypothesis> live = List.of(new Hypothesis(new int[0], 0, 0));
        List<Hypothesis> finished = new ArrayList<>();
        for (int k = 0; !live.isEmpty(); k++) {
            if (k == maxLength) {
                // at the length limit: what is written so far is the translation, with no end to score
                finished.addAll(live);
                break;
            }
            double[][] logP = logOf(probabilities);
            List<Hypothesis> candidates = new ArrayList<>();
            for (Hypothesis h : live) {
                for (int c = 0; c < logP[h.row()].length; c++) {
                    candidates.add(h.extend(c, logP[h.row()][c], h.row()));
                }
            }
            candidates.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            List<Hypothesis> next = new ArrayList<>();
            for (Hypothesis h : candidates.subList(0, Math.min(width, candidates.size()))) {
                int last = h.classes()[h.classes().length - 1];
                if (last == 0) {
                    finished.add(new Hypothesis(Arrays.copyOf(h.classes(), h.classes().length - 1), h.score(), -1));
                } else {
                    next.add(h);
                }
            }
            double bestFinished = finished.stream().mapToDouble(Hypothesis::score).max().orElse(Double.NEGATIVE_INFINITY);
            live = next.stream().filter(h -> h.score() > bestFinished).toList();
            if (!live.isEmpty()) {
                reorderState(live.stream().mapToInt(Hypothesis::row).toArray());
                float[] feed = new float[live.size()];
                List<Hypothesis> renumbered = new ArrayList<>(live.size());
                for (int r = 0; r < live.size(); r++) {
                    Hypothesis h = live.get(r);
                    feed[r] = separator + h.classes()[h.classes().length - 1];
                    renumbered.add(new Hypothesis(h.classes(), h.score(), r));
                }
                live = renumbered;
                probabilities = step(feed);
            }
        }
        net.rnnClearPreviousState();
        return finished.stream().max(Comparator.comparingDouble(Hypothesis::score)).orElseThrow().classes();
    }

    private static double[][] logOf(INDArray probabilities) {
        double[][] p = probabilities.toDoubleMatrix();
        for (double[] row : p) {
            for (int c = 0; c < row.length; c++) {
                row[c] = Math.log(Math.max(row[c], 1e-30));
            }
        }
        return p;
    }

    /** Each recurrent layer's state rows rearranged so that row r holds the state of hypothesis row {@code parents[r]}. */
    private void reorderState(int[] parents) {
        for (int layer : recurrentLayers) {
            Map<String, INDArray> state = net.rnnGetPreviousState(layer);
            Map<String, INDArray> picked = new HashMap<>();
            state.forEach((key, rows) -> picked.put(key, rows.getRows(parents)));
            net.rnnSetPreviousState(layer, picked);
        }
    }
}
