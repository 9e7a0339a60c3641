package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sequence to sequence in delayed form, for one recurrent network that reads the whole source and then
 * writes the target. The source and target have vocabularies of their own (built from the training split,
 * each ending with {@link TextLayout#UNKNOWN}); the network's input and output index spaces are laid out as
 *
 * <pre>
 * input:   0 … S−1 source symbols │ S = {@value #SEPARATOR} │ S+1 … S+M target symbols (fed back)
 * output:  0 = {@value #END} │ 1 … M target symbols
 * </pre>
 *
 * so that output class c (a target symbol, or the end) is fed back as input index S + c. A pair with source
 * x₁…xₙ and target y₁…yₘ is one sequence of n + 1 + m steps:
 *
 * <pre>
 * step      1 … n      n+1        n+2 … n+m+1
 * input     x₁ … xₙ    &lt;sep&gt;      y₁ … yₘ        (teacher forcing: the true previous target symbol)
 * label     –  …  –    y₁         y₂ … yₘ &lt;end&gt;
 * </pre>
 *
 * The source steps carry no label (index −1, masked out of the loss), so the loss is the cross-entropy of
 * the target and its end only: p(y|x) = Πₖ p(yₖ | x, y₁…yₖ₋₁) · p(&lt;end&gt; | x, y). Sequences of a minibatch
 * are padded at the end and masked (DL4J feature and label masks), which a forward-only network reads exactly
 * as it reads each sequence alone. Decoding feeds x₁…xₙ &lt;sep&gt;, then each emitted symbol back, until it
 * emits &lt;end&gt; or reaches the length limit.
 *
 * @param source source symbols in index order, the last being {@link TextLayout#UNKNOWN}
 * @param target target symbols in index order, the last being {@link TextLayout#UNKNOWN}
 */
public record DelayedPairs(List<String> source, List<String> target) {
    /** Input between the source and the target: "now write the target". */
    public static final String SEPARATOR = "<sep>";
    /** Output after the last target symbol: "the target is complete". */
    public static final String END = "<end>";
    /** Label of a step whose output is not scored (a source step). */
    public static final int NO_LABEL = -1;

    public DelayedPairs {
        source = List.copyOf(source);
        target = List.copyOf(target);
    }

    /** Vocabularies of the symbols in the training pairs, sorted, each followed by {@link TextLayout#UNKNOWN}. */
    public static DelayedPairs fromTraining(List<List<String>> sources, List<List<String>> targets) {
        return new DelayedPairs(TextLayout.vocabulary(sources, 1, false), TextLayout.vocabulary(targets, 1, false));
    }

    /** The vocabularies back from the network's input vocabulary ({@link #inputVocabulary()}), as a bundle keeps it. */
    public static DelayedPairs fromInputVocabulary(List<String> input) {
        int separator = input.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("not the input vocabulary of a sequence-to-sequence model: no " + SEPARATOR);
        }
        return new DelayedPairs(input.subList(0, separator), input.subList(separator + 1, input.size()));
    }

    /** The network's input symbols in index order: source, separator, target. */
    public List<String> inputVocabulary() {
        List<String> out = new ArrayList<>(source);
        out.add(SEPARATOR);
        out.addAll(target);
        return out;
    }

    /** The network's output classes in index order: the end, then the target symbols. */
    public List<String> outputClasses() {
        List<String> out = new ArrayList<>();
        out.add(END);
        out.addAll(target);
        return out;
    }

    /** Input index of the separator, S. */
    public int separator() {
        return source.size();
    }

    /** Input index that feeds output class c back. */
    public int feedBack(int outputClass) {
        return separator() + outputClass;
    }

    /** Indices of the source symbols; a symbol outside the vocabulary becomes {@link TextLayout#UNKNOWN}. */
    public int[] encodeSource(List<String> symbols) {
        return encode(symbols, TextLayout.index(source), 0);
    }

    /** Output classes of the target symbols (1 … M); a symbol outside the vocabulary becomes {@link TextLayout#UNKNOWN}. */
    public int[] encodeTarget(List<String> symbols) {
        return encode(symbols, TextLayout.index(target), 1);
    }

    private static int[] encode(List<String> symbols, Map<String, Integer> index, int offset) {
        int unknown = index.get(TextLayout.UNKNOWN);
        int[] out = new int[symbols.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = offset + index.getOrDefault(symbols.get(i), unknown);
        }
        return out;
    }

    /** Position of the first symbol outside the source (or target) vocabulary, or −1. */
    public int firstUnknown(List<String> symbols, boolean targetSide) {
        List<String> vocabulary = targetSide ? target : source;
        for (int i = 0; i < symbols.size(); i++) {
            if (!vocabulary.contains(symbols.get(i)) || symbols.get(i).equals(TextLayout.UNKNOWN)) {
                return i;
            }
        }
        return -1;
    }

    /** The target symbols of output classes (without the end). */
    public List<String> decodeTarget(int[] classes) {
        List<String> out = new ArrayList<>(classes.length);
        for (int c : classes) {
            out.add(target.get(c - 1));
        }
        return out;
    }

    /** The input steps of a pair: source, separator, target fed back (one feature per step, the index). */
    public double[][] input(int[] sourceIndices, int[] targetClasses) {
        double[][] steps = new double[sourceIndices.length + 1 + targetClasses.length][1];
        for (int t = 0; t < sourceIndices.length; t++) {
            steps[t][0] = sourceIndices[t];
        }
        steps[sourceIndices.length][0] = separator();
        for (int k = 0; k < targetClasses.length; k++) {
            steps[sourceIndices.length + 1 + k][0] = feedBack(targetClasses[k]);
        }
        return steps;
    }

    /** The labels of a pair's steps: none on the source, then the target and its end. */
    public static int[] labels(int sourceLength, int[] targetClasses) {
        int[] labels = new int[sourceLength + 1 + targetClasses.length];
        java.util.Arrays.fill(labels, 0, sourceLength, NO_LABEL);
        System.arraycopy(targetClasses, 0, labels, sourceLength, targetClasses.length);
        labels[labels.length - 1] = 0;
        return labels;
    }

    /** The source indices of an encoded pair (the steps before the separator). */
    public int[] sourceOf(double[][] input) {
        int n = 0;
        while ((int) input[n][0] != separator()) {
            n++;
        }
        int[] out = new int[n];
        for (int t = 0; t < n; t++) {
            out[t] = (int) input[t][0];
        }
        return out;
    }

    /** The target classes of an encoded pair's labels (without the end). */
    public static int[] targetOf(int[] labels) {
        int start = 0;
        while (labels[start] == NO_LABEL) {
            start++;
        }
        return java.util.Arrays.copyOfRange(labels, start, labels.length - 1);
    }
}
