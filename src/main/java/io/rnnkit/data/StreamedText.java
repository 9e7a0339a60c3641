package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Task;
import io.rnnkit.config.TextMode;

import java.util.List;
import java.util.Random;

/**
 * Text generation (one-to-many) through the streaming cache, split and encoded as {@link TextLayout} does in memory, with
 * nothing held but the vocabulary, the token table and each split's indices: a sequence is cut from the mapped token ids
 * when asked for.
 * <ul>
 * <li>Lines: the cache holds each line's tokens; lines are split by the same seeded rule, the vocabulary (line break first)
 *     is counted over the training lines, and line i is read as {@code ⏎ tokens} predicting {@code tokens ⏎}.</li>
 * <li>Stream: the cache's values are the token stream itself, line breaks included ({@link SequenceCache}); it is split by
 *     position (training text first), the vocabulary counted over the training text, and chunk k of a part is its tokens
 *     {@code [k·L, k·L + L + 1)} read and predicted shifted by one ({@code L = data.text.sequenceLength}).</li>
 * </ul>
 */
final class StreamedText {
    /** Token ids read at a time when counting the training text. */
    private static final int BLOCK = 1 << 16;

    private StreamedText() {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where, SequenceCache cache) {
        return isStream(config) ? stream(config, where, cache) : lines(config, where, cache);
    }

    /** Whether the config generates text from one stream ({@code mode: stream}), whose cache is that stream's tokens. */
    static boolean isStream(ExperimentConfig config) {
        return Task.of(config) instanceof Task.TextGenerator && config.data().text().mode() == TextMode.STREAM;
    }

    private static SplitData lines(ExperimentConfig config, ConfigLocations where, SequenceCache cache) {
        DataConfig data = config.data();
        int n = cache.size();
        int[][] parts = Splits.split(n, null, 1, new double[]{data.split().train(), data.split().validation(), data.split().test()},
                new Random(config.seed()));
        List<String> vocabulary = StreamedSplit.vocabulary(cache, parts[0], data.text().minCount(), true);
        int[] vocabularyOf = StreamedSplit.vocabularyOf(cache, vocabulary);
        int boundary = TextLayout.index(vocabulary).get(TextLayout.BOUNDARY);
        int keep = data.text().sequenceLength();
        String[] names = {"train", "validation", "test"};
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            int[] range = lengths(cache, parts[p], keep);
            sets[p] = SequenceSet.cachedPerStep(new SequenceCache.View<>(parts[p], i -> {
                        double[][] ids = cache.sequence(i);
                        double[][] input = new double[Math.min(ids.length, keep) + 1][1];
                        input[0][0] = boundary;
                        for (int t = 1; t < input.length; t++) {
                            input[t][0] = vocabularyOf[(int) ids[t - 1][0]];
                        }
                        return input;
                    }), new SequenceCache.View<>(parts[p], i -> {
                        double[][] ids = cache.sequence(i);
                        int[] next = new int[Math.min(ids.length, keep) + 1];
                        for (int t = 0; t < next.length - 1; t++) {
                            next[t] = vocabularyOf[(int) ids[t][0]];
                        }
                        next[next.length - 1] = boundary;
                        return next;
                    }),
                    range[0], range[1]);
            if (p != 1 || data.split().validation() > 0) {
                DatasetLoader.requireNonEmpty(sets[p], names[p], n, where);
            }
        }
        return split(config, where, sets, vocabulary, cache);
    }

    private static SplitData stream(ExperimentConfig config, ConfigLocations where, SequenceCache cache) {
        DataConfig data = config.data();
        long[][] bounds = TextLayout.streamBounds(cache.valueCount(), data.split());
        List<String> tokens = cache.tokens();
        int[] counts = new int[tokens.size()];
        float[] block = new float[BLOCK];
        for (long at = 0; at < bounds[0][1]; at += BLOCK) {
            int length = (int) Math.min(BLOCK, bounds[0][1] - at);
            cache.values(at, length == BLOCK ? block : (block = new float[length]));
            for (float id : block) {
                counts[(int) id]++;
            }
        }
        List<String> vocabulary = StreamedSplit.vocabulary(tokens, counts, data.text().minCount(), false);
        int[] vocabularyOf = StreamedSplit.vocabularyOf(cache, vocabulary);
        int length = data.text().sequenceLength();
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            long from = bounds[p][0];
            int chunks = TextLayout.chunks(bounds[p], length);
            int[] indices = java.util.stream.IntStream.range(0, chunks).toArray();
            sets[p] = SequenceSet.cachedPerStep(new SequenceCache.View<>(indices, k -> {
                        float[] ids = chunk(cache, from, k, length);
                        double[][] input = new double[length][1];
                        for (int t = 0; t < length; t++) {
                            input[t][0] = vocabularyOf[(int) ids[t]];
                        }
                        return input;
                    }), new SequenceCache.View<>(indices, k -> {
                        float[] ids = chunk(cache, from, k, length);
                        int[] next = new int[length];
                        for (int t = 0; t < length; t++) {
                            next[t] = vocabularyOf[(int) ids[t + 1]];
                        }
                        return next;
                    }), length, length);
            TextLayout.requireChunks(chunks, p, bounds[p], length, data.split(), where);
        }
        return split(config, where, sets, vocabulary, cache);
    }

    /** The shortest and longest of the lines at {@code indices} as read ({@code ⏎} and up to {@code keep} tokens), as in memory. */
    private static int[] lengths(SequenceCache cache, int[] indices, int keep) {
        int[] out = {Integer.MAX_VALUE, 0};
        for (int i : indices) {
            int length = Math.min(cache.length(i), keep) + 1;
            out[0] = Math.min(out[0], length);
            out[1] = Math.max(out[1], length);
        }
        return indices.length == 0 ? new int[]{0, 0} : out;
    }

    /** The cached token ids of chunk k of the part starting at {@code from}: {@code length + 1} of them. */
    private static float[] chunk(SequenceCache cache, long from, int k, int length) {
        float[] ids = new float[length + 1];
        cache.values(from + (long) k * length, ids);
        return ids;
    }

    /** Next-token classes over the vocabulary; the fingerprint is the cache's (over its token ids, not the in-memory one's). */
    private static SplitData split(ExperimentConfig config, ConfigLocations where, SequenceSet[] sets, List<String> vocabulary,
                                   SequenceCache cache) {
        SplitData split = new SplitData(sets[0], sets[1], sets[2], vocabulary, List.of("token"), cache.fingerprint(), null, vocabulary,
                null, null);
        DataRules.check(config, split, where);
        return split;
    }
}
