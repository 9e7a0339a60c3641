package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.TranslationConfig;
import io.rnnkit.config.UnknownSymbols;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sequence-to-sequence pairs ({@link PairsLayout}) through the streaming cache, split and encoded as in memory with nothing
 * held but the token table, the two vocabularies and each split's indices: the cache holds each pair's source and target
 * token ids ({@link SequenceCache}), the pairs are split by the same seeded rule, both vocabularies are counted over the
 * training pairs, and a pair's delayed input and labels ({@link DelayedPairs}) are cut from the mapped ids when asked for.
 * One pass over the cache checks the limits and (with {@code unknownSymbols: reject}) the symbols in the in-memory order,
 * so a fault is the one the in-memory path reports, its line found in the file then.
 */
final class StreamedPairs {
    private StreamedPairs() {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where, SequenceCache cache) {
        DataConfig data = config.data();
        TranslationConfig limits = config.task().translation();
        Path file = DataPaths.resolve(data.path());
        List<String> tokens = cache.tokens();
        int n = cache.size();
        for (int i = 0; i < n; i++) {
            int[][] ids = ids(cache, i);
            if (ids[0].length > limits.maxSourceLength() || ids[1].length > limits.maxTargetLength()) {
                PairsLayout.requireWithin(pair(cache, tokens, file, i), limits); // says which, and where
            }
        }
        int[][] parts = Splits.split(n, null, 1, new double[]{data.split().train(), data.split().validation(), data.split().test()},
                new Random(config.seed()));
        int[] sourceCounts = new int[tokens.size()];
        int[] targetCounts = new int[tokens.size()];
        for (int i : parts[0]) {
            int[][] ids = ids(cache, i);
            for (int id : ids[0]) {
                sourceCounts[id]++;
            }
            for (int id : ids[1]) {
                targetCounts[id]++;
            }
        }
        DelayedPairs form = new DelayedPairs(StreamedSplit.vocabulary(tokens, sourceCounts, 1, false),
                StreamedSplit.vocabulary(tokens, targetCounts, 1, false));
        int[] sourceOf = StreamedSplit.vocabularyOf(cache, form.source());
        int[] targetOf = StreamedSplit.vocabularyOf(cache, form.target());
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            int[] lengths = {Integer.MAX_VALUE, 0};
            for (int i : parts[p]) {
                if (limits.unknownSymbols() == UnknownSymbols.REJECT) {
                    PairsLayout.requireKnown(pair(cache, tokens, file, i), form, limits, PairsLayout.NAMES[p]);
                }
                lengths[0] = Math.min(lengths[0], cache.length(i));
                lengths[1] = Math.max(lengths[1], cache.length(i));
            }
            sets[p] = SequenceSet.cachedPerStep(new SequenceCache.View<>(parts[p], i -> {
                int[][] ids = ids(cache, i);
                return form.input(map(ids[0], sourceOf, 0), map(ids[1], targetOf, 1));
            }), new SequenceCache.View<>(parts[p], i -> {
                int[][] ids = ids(cache, i);
                return DelayedPairs.labels(ids[0].length, map(ids[1], targetOf, 1));
            }), parts[p].length == 0 ? 0 : lengths[0], lengths[1]);
            PairsLayout.requireNonEmpty(sets[p], p, n, data, where);
        }
        List<String> input = form.inputVocabulary();
        SplitData split = new SplitData(sets[0], sets[1], sets[2], form.outputClasses(), List.of("symbol"), cache.fingerprint(), null,
                input, null, null);
        DataRules.check(config, split, where);
        return split;
    }

    /** Pair i's cached source and target token ids, split at {@link SequenceCache#PAIR_SEPARATOR}. */
    private static int[][] ids(SequenceCache cache, int i) {
        double[][] steps = cache.sequence(i);
        int cut = 0;
        while (steps[cut][0] != SequenceCache.PAIR_SEPARATOR) {
            cut++;
        }
        int[] source = new int[cut];
        int[] target = new int[steps.length - cut - 1];
        for (int t = 0; t < cut; t++) {
            source[t] = (int) steps[t][0];
        }
        for (int k = 0; k < target.length; k++) {
            target[k] = (int) steps[cut + 1 + k][0];
        }
        return new int[][]{source, target};
    }

    /** Cached ids as vocabulary indices plus {@code offset} (1 for target classes, after the end). */
    private static int[] map(int[] ids, int[] vocabularyOf, int offset) {
        int[] out = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = offset + vocabularyOf[ids[t]];
        }
        return out;
    }

    /** Pair i as symbols, for the checks the in-memory path makes; its line is looked up in the file only for a fault. */
    private static PairsLayout.Pair pair(SequenceCache cache, List<String> tokens, Path file, int i) {
        int[][] ids = ids(cache, i);
        return new PairsLayout.Pair(symbols(ids[0], tokens), symbols(ids[1], tokens), () -> PairsLayout.origin(file, i));
    }

    private static List<String> symbols(int[] ids, List<String> tokens) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(tokens.get(id));
        }
        return out;
    }
}
