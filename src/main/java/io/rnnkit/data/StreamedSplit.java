package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.StreamingConfig;
import io.rnnkit.config.StreamingMode;
import io.rnnkit.config.Task;

import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Whether an experiment's data takes the streaming path, and its splits when it does: sequences of a {@link SequenceCache}
 * read when asked for, split by the same seeded rule as the in-memory path (so the same sequences land in each split), and
 * the heap holding only the split's indices (4 bytes a sequence) besides what is asked for.
 */
public final class StreamedSplit {
    private StreamedSplit() {
    }

    /** The layouts the cache is written from, a sequence at a time ({@link SequenceCache}). */
    private static final java.util.Set<DataFormat> STREAMED = java.util.EnumSet.of(DataFormat.ROWS, DataFormat.SEQUENCE_FILES,
            DataFormat.TS, DataFormat.ARFF, DataFormat.TEXT);

    /** Why the config's data cannot be streamed, or null when it can. */
    static String unsupported(ExperimentConfig config) {
        DataConfig data = config.data();
        Task task = Task.of(config);
        if (data.format() == DataFormat.SERIES) { // a series' own cache and windows (SeriesCache)
            SeriesCache.Refusal refusal = SeriesCache.unsupported(config);
            return refusal == null ? null : refusal.why();
        }
        if (task instanceof Task.Translator && data.format() == DataFormat.GENERATED) {
            return "the streaming path reads sequence-to-sequence pairs from a file (data.format: text, a source, a tab and a target"
                    + " on each line); generated pairs (data.generator) are made in memory";
        }
        if (!STREAMED.contains(data.format())) {
            // only generated data is left here: a series has its own cache above
            return "the streaming path reads data files (rows, sequence-files, ts, arff, text, series); " + io.rnnkit.config.YamlNames.of(data.format())
                    + " data (data.generator) is made in memory";
        }
        if (task instanceof Task.Translator) {
            return null; // pairs are read from data.path alone, as in memory (PairsLayout)
        }
        boolean classifiesText = data.format() == DataFormat.TEXT && task instanceof Task.Classifier;
        boolean generatesText = task instanceof Task.TextGenerator;
        if (task.answersPerStep() && !generatesText && data.format() != DataFormat.SEQUENCE_FILES) {
            // not reached from a loaded config: ConfigRules refuses many-to-many on rows, text and archive files in memory too
            return "labels per step are read from sequence files only (format: sequence-files), in memory as streamed";
        }
        if (task.readsSymbols() && !classifiesText && !generatesText || task.forecastStrategy() != null) {
            return "the streaming path trains classifiers and regressors of sequences, and text generators, so far";
        }
        if (classifiesText && data.text().labelSeparator() == null) {
            return "the streaming path reads text with a class per line (data.text.labelSeparator)";
        }
        if (task.head().groupSize() != 1) { // ConfigRules allows heads for series only; PreparedData.grouped skips streamed data
            return "the streaming path has no probabilistic heads";
        }
        return null;
    }

    /**
     * Whether the data is streamed: {@code always}, or {@code auto} with data files (with data.testPath, both) larger than the threshold (by default a
     * sixteenth of the maximum heap) in a layout the path reads.
     *
     * @throws io.rnnkit.config.ConfigException for {@code always} on data the path does not read
     */
    public static boolean streams(ExperimentConfig config, ConfigLocations where) {
        StreamingConfig s = config.data().streaming();
        if (s.enabled() == StreamingMode.NEVER) {
            return false;
        }
        String why = unsupported(config);
        if (s.enabled() == StreamingMode.ALWAYS) {
            SeriesCache.Refusal refusal = config.data().format() == DataFormat.SERIES ? SeriesCache.unsupported(config) : null;
            if (refusal != null) { // said at the setting that stands in the way
                throw where.error(refusal.path(), refusal.why() + "; set data.streaming.enabled: never or auto");
            }
            if (why != null) {
                throw where.error("data.streaming.enabled", why + "; set enabled: never or auto");
            }
            return true;
        }
        List<String> files = new java.util.ArrayList<>(config.data().paths());
        if (config.data().path() != null) {
            files.add(config.data().path());
        }
        if (config.data().testPath() != null) {
            files.add(config.data().testPath());
        }
        if (why != null || files.isEmpty()) {
            return false;
        }
        try {
            long bytes = 0;
            for (String file : files) {
                bytes += SequenceCache.dataBytes(DataPaths.resolve(file));
            }
            return bytes > threshold(s);
        } catch (IOException e) {
            return false; // the in-memory reader names a file it cannot read
        }
    }

    /** The folder of the streaming cache of the config's data, which {@link DatasetLoader#loadForTraining} built or found. */
    public static java.nio.file.Path folder(ExperimentConfig config) {
        return config.data().format() == DataFormat.SERIES ? SeriesCache.folder(config.data()) : SequenceCache.of(config).directory();
    }

    /**
     * The splits over the cache another process built in {@code dir} (a data-parallel run's driver, for its executors), as
     * {@link DatasetLoader#loadForTraining} makes them; null when there is none there (a folder this machine does not see).
     */
    public static SplitData reopen(ExperimentConfig config, ConfigLocations where, java.nio.file.Path dir) {
        if (config.data().format() == DataFormat.SERIES) {
            SeriesCache series = SeriesCache.open(dir);
            return series == null ? null : StreamedSeries.split(series, config, where);
        }
        SequenceCache cache = SequenceCache.open(dir);
        return cache == null ? null : load(config, where, cache);
    }

    /** The size above which {@code auto} streams. */
    public static long threshold(StreamingConfig s) {
        return s.thresholdBytes() > 0 ? s.thresholdBytes() : Runtime.getRuntime().maxMemory() / 16;
    }

    /** Sequences per shard: the setting, else as many as {@code maxHeapBytes} holds at about 40 bytes a value (read and as tensors). */
    public static int shardSize(StreamingConfig s, int valuesPerSequence) {
        return s.shardSize() > 0 ? s.shardSize() : (int) Math.max(1, Math.min(Integer.MAX_VALUE, s.maxHeapBytes() / (40L * Math.max(1, valuesPerSequence))));
    }

    /**
     * The vocabulary of text, as the in-memory layout fits it on the training split ({@link TextLayout#vocabulary}): one
     * pass over the training lines counts each cached token id.
     */
    static List<String> vocabulary(SequenceCache cache, int[] train, int minCount, boolean boundary) {
        java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
        countTokens(cache, train, counts);
        return TextLayout.vocabulary(counts, minCount, boundary);
    }

    /** Adds how often each token occurs in the cached lines {@code train} to {@code counts} (several files pool theirs). */
    static void countTokens(SequenceCache cache, int[] train, java.util.SortedMap<String, Integer> counts) {
        List<String> tokens = cache.tokens();
        int[] byId = new int[tokens.size()];
        for (int i : train) {
            for (double[] step : cache.sequence(i)) {
                byId[(int) step[0]]++;
            }
        }
        addCounts(tokens, byId, counts);
    }

    /** Adds each cached token's count {@code byId[id]} to {@code counts}, by its text (tokens never counted left out). */
    private static void addCounts(List<String> tokens, int[] byId, java.util.SortedMap<String, Integer> counts) {
        for (int id = 0; id < byId.length; id++) {
            if (byId[id] > 0) {
                counts.merge(tokens.get(id), byId[id], Integer::sum);
            }
        }
    }

    /** The vocabulary of the cached tokens counted {@code counts} times in the training split (ids as in the cache). */
    static List<String> vocabulary(List<String> tokens, int[] counts, int minCount, boolean boundary) {
        java.util.TreeMap<String, Integer> seen = new java.util.TreeMap<>();
        addCounts(tokens, counts, seen);
        return TextLayout.vocabulary(seen, minCount, boundary);
    }

    /** Each cached token id's index in the vocabulary (the unknown token's for one outside it). */
    static int[] vocabularyOf(SequenceCache cache, List<String> vocabulary) {
        java.util.Map<String, Integer> index = TextLayout.index(vocabulary);
        int unknown = index.get(TextLayout.UNKNOWN);
        List<String> tokens = cache.tokens();
        int[] out = new int[tokens.size()];
        for (int id = 0; id < out.length; id++) {
            out[id] = index.getOrDefault(tokens.get(id), unknown);
        }
        return out;
    }

    static int[] identity(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    /**
     * The splits of the cache of the config's data; with data.testPath, the test split is the test file's own cache (built
     * now when it is not there), read as the in-memory path reads it: the classes are the training file's.
     */
    public static SplitData load(ExperimentConfig config, ConfigLocations where, SequenceCache cache) {
        DataConfig data = config.data();
        Task task = Task.of(config);
        if (task instanceof Task.TextGenerator) {
            return StreamedText.load(config, where, cache);
        }
        if (task instanceof Task.Translator) {
            return StreamedPairs.load(config, where, cache);
        }
        if (!data.paths().isEmpty()) { // text pooled from several files: each file's cache (this is the first's)
            return StreamedPooledText.load(config, where);
        }
        int n = cache.size();
        SequenceCache testFile = data.testPath() == null ? null : SequenceCache.of(config, data.testPath());
        List<String> classes;
        int[] classOf = null;
        int[] testClassOf = null;
        int[] strata = null;
        requireLabelled(cache, data.path());
        if (testFile != null) {
            requireLabelled(testFile, data.testPath());
        }
        if (task.isClassification()) {
            // an archive file's header declares its classes in order; data.labels.classes, when given, overrides it
            boolean fromHeader = data.labels().classes().isEmpty() && !cache.declaredClasses().isEmpty();
            String source = fromHeader ? "declared in the header of " + data.path()
                    : data.labels().classes().isEmpty() ? "the classes found in " + data.path() : "declared in data.labels.classes";
            classes = ClassLabels.classes(fromHeader ? cache.declaredClasses() : data.labels().classes(), cache.labelTexts());
            if (classes.size() < 2) {
                throw where.error("data.labels", "classification needs at least two classes, found " + classes + " in " + data.path());
            }
            classOf = classOf(cache, classes, source);
            testClassOf = testFile == null ? null : classOf(testFile, classes, source);
            if (data.split().stratify()) {
                // as Splits.split stratifies the in-memory set: by a sequence's class, or its most frequent step class
                SequenceSet all = SequenceSet.cached(cache.sequences(identity(n)), cache.classes(identity(n), classOf), null,
                        cache.perStep(), cache.minLength(), cache.maxLength());
                strata = new int[n];
                for (int i = 0; i < n; i++) {
                    strata[i] = all.stratum(i, classes.size());
                }
            }
        } else {
            classes = DatasetLoader.targetNames(cache.targetWidth());
            if (testFile != null && testFile.targetWidth() != cache.targetWidth()) {
                throw where.error("data.testPath", "the test data has " + testFile.targetWidth() + " target values per label, the training data "
                        + cache.targetWidth());
            }
        }
        if (testFile != null && testFile.features() != cache.features()) {
            throw where.error("data.testPath", "the test data has " + testFile.features() + " features per step, the training data "
                    + cache.features());
        }
        double[] fractions = testFile != null ? new double[]{data.split().train(), data.split().validation()}
                : new double[]{data.split().train(), data.split().validation(), data.split().test()};
        int[][] parts = Splits.split(n, strata, classes.size(), fractions, new Random(config.seed()));
        StreamedCategories categorical = cache.categorical().isEmpty() ? null : new StreamedCategories(cache, parts, testFile);
        SequenceSet[] sets = new SequenceSet[3];
        List<String> vocabulary = data.format() == DataFormat.TEXT ? vocabulary(cache, parts[0], data.text().minCount(), false) : null;
        int[] vocabularyOf = vocabulary == null ? null : vocabularyOf(cache, vocabulary);
        int maxTokens = data.text().sequenceLength();
        int[] classesOf = classOf;
        java.util.function.Function<int[], SequenceSet> part = indices -> vocabulary == null ? set(cache, indices, classesOf, categorical)
                : SequenceSet.cached(cache.tokenSequences(indices, vocabularyOf, maxTokens, vocabulary.size() - 1),
                cache.classes(indices, classesOf), null, false,
                Math.min(Math.max(1, cache.minLength()), maxTokens), Math.min(Math.max(1, cache.maxLength()), maxTokens));
        sets[0] = part.apply(parts[0]);
        sets[1] = part.apply(parts[1]);
        sets[2] = testFile != null ? set(testFile, identity(testFile.size()), testClassOf, categorical) : part.apply(parts[2]);
        DatasetLoader.requireNonEmpty(sets[0], "train", n, where);
        if (data.split().validation() > 0) {
            DatasetLoader.requireNonEmpty(sets[1], "validation", n, where);
        }
        DatasetLoader.requireNonEmpty(sets[2], testFile != null ? "test file" : "test", n, where);
        String fingerprint = testFile == null ? cache.fingerprint() : SequenceCache.hash(cache.fingerprint() + "\n" + testFile.fingerprint());
        List<String> featureNames = vocabulary != null ? List.of("token")
                : categorical != null ? categorical.featureNames() : SplitData.positionalNames(cache.features());
        SplitData split = new SplitData(sets[0], sets[1], sets[2], classes, featureNames, fingerprint, null, vocabulary,
                categorical == null ? null : categorical.categories(), categorical == null ? null : categorical.report());
        DataRules.check(config, split, where);
        return split;
    }

    private static void requireLabelled(SequenceCache cache, String path) {
        if (!cache.labelled()) {
            throw new DataException(path + ": the task needs a label per case, but the header declares none"
                    + " (@classLabel true ... or @targetLabel true in a .ts file)");
        }
    }

    /** Each of the cache's label texts as its index in {@code classes}; a text outside them is reported where it first is. */
    static int[] classOf(SequenceCache cache, List<String> classes, String source) {
        List<String> texts = cache.labelTexts();
        int[] classOf = new int[texts.size()];
        DataFaults faults = new DataFaults();
        for (int id = 0; id < texts.size(); id++) {
            classOf[id] = classes.indexOf(texts.get(id));
            if (classOf[id] < 0) {
                faults.add(new DataException(cache.labelOrigin(id) + ": label '" + texts.get(id) + "' is not one of the classes "
                        + classes + " (" + source + ")"));
            }
        }
        faults.throwIfAny();
        return classOf;
    }

    /**
     * The cache's sequences at {@code indices} (one-hot through {@code categorical} when it is not null) with their classes
     * (through {@code classOf}) or, for null, their targets.
     */
    private static SequenceSet set(SequenceCache cache, int[] indices, int[] classOf, StreamedCategories categorical) {
        return SequenceSet.cached(categorical == null ? cache.sequences(indices) : categorical.sequences(cache, indices),
                classOf == null ? null : cache.classes(indices, classOf),
                classOf == null ? cache.targets(indices) : null, cache.perStep(), cache.minLength(), cache.maxLength());
    }
}
