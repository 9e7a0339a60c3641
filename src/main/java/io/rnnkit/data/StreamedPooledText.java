package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Text classification pooled from several files ({@code data.paths}) on the streaming path, as {@link TextLayout} pools
 * them in memory: each file has its own cache and is split on its own with a generator seeded by the run's seed; the
 * vocabulary is fitted on the training lines of every file; each split is the files' parts one after another, in file
 * order, and the test split remembers which lines came from which file ({@link SplitData#sources}).
 */
final class StreamedPooledText {
    private StreamedPooledText() {
    }

    /** The caches of {@code data.paths}, each built now (one pass over its file) unless it is there. */
    static List<SequenceCache> caches(ExperimentConfig config) {
        return config.data().paths().stream().map(path -> SequenceCache.of(config, path)).toList();
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        List<SequenceCache> caches = caches(config);
        List<String> found = caches.stream().flatMap(cache -> cache.labelTexts().stream()).toList();
        List<String> classes = ClassLabels.classes(data.labels().classes(), found);
        String source = data.labels().classes().isEmpty() ? "the classes found in data.paths" : "declared in data.labels.classes";
        List<int[]> classOf = caches.stream().map(cache -> StreamedSplit.classOf(cache, classes, source)).toList();
        if (classes.size() < 2) {
            throw where.error("data.labels", "classification needs at least two classes, found " + classes + " in "
                    + data.paths().stream().map(DataPaths::resolve).toList());
        }
        double[] fractions = {data.split().train(), data.split().validation(), data.split().test()};
        List<int[][]> parts = new ArrayList<>();
        TreeMap<String, Integer> counts = new TreeMap<>();
        int total = 0;
        for (int f = 0; f < caches.size(); f++) {
            SequenceCache cache = caches.get(f);
            int[] labels = new int[cache.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = classOf.get(f)[cache.labelId(i)];
            }
            // afresh for each file, as in memory: a file's test lines are those a run on it alone tests on
            parts.add(Splits.split(labels.length, data.split().stratify() ? labels : null, classes.size(), fractions, new Random(config.seed())));
            StreamedSplit.countTokens(cache, parts.get(f)[0], counts);
            total += cache.size();
        }
        List<String> vocabulary = TextLayout.vocabulary(counts, data.text().minCount(), false);
        int maxTokens = data.text().sequenceLength();
        String[] names = {"train", "validation", "test"};
        SequenceSet[] sets = new SequenceSet[3];
        List<SplitData.Source> sources = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<List<double[][]>> sequences = new ArrayList<>();
            List<List<int[]>> labels = new ArrayList<>();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int f = 0; f < caches.size(); f++) {
                SequenceCache cache = caches.get(f);
                int[] part = parts.get(f)[p];
                sequences.add(cache.tokenSequences(part, StreamedSplit.vocabularyOf(cache, vocabulary), maxTokens, vocabulary.size() - 1));
                labels.add(cache.classes(part, classOf.get(f)));
                for (int i : part) { // an empty line is the single unknown token; a long one is cut
                    int length = Math.min(Math.max(1, cache.length(i)), maxTokens);
                    min = Math.min(min, length);
                    max = Math.max(max, length);
                }
                if (p == 2) {
                    sources.add(new SplitData.Source(DataPaths.resolve(data.paths().get(f)).getFileName().toString(), part.length));
                }
            }
            sets[p] = SequenceSet.cached(new SequenceSet.Joined<>(sequences), new SequenceSet.Joined<>(labels), null, false, min == Integer.MAX_VALUE ? 0 : min, max);
            if (p != 1 || data.split().validation() > 0) {
                DatasetLoader.requireNonEmpty(sets[p], names[p], total, where);
            }
        }
        StringBuilder fingerprints = new StringBuilder();
        caches.forEach(cache -> fingerprints.append(cache.fingerprint()).append('\n'));
        SplitData split = new SplitData(sets[0], sets[1], sets[2], classes, List.of("token"), SequenceCache.hash(fingerprints.toString()),
                null, vocabulary, null, null);
        DataRules.check(config, split, where);
        return caches.size() > 1 ? split.withSources(sources) : split;
    }
}
