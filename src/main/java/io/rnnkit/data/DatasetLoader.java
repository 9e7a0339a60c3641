package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.GeneratorConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Task;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reads an experiment's data as its config describes, checks it, and splits it (seeded, stratified for
 * classes). Every fault is a {@link DataException} naming the file and line, or the YAML path to change.
 */
public final class DatasetLoader {
    private DatasetLoader() {
    }

    public static SplitData load(LoadedConfig loaded) {
        ExperimentConfig config = loaded.config();
        DataConfig data = config.data();
        ConfigLocations where = loaded.locations();
        Task task = Task.of(config);
        SplitData split;
        if (task instanceof Task.Translator) {
            split = PairsLayout.load(config, where);
        } else if (task.forecastStrategy() != null) {
            split = SeriesLayout.load(config, where);
        } else if (task instanceof Task.StepTagger && data.format() == DataFormat.SERIES) {
            split = SeriesTagging.load(config, where);
        } else if (task.readsSymbols()) {
            split = TextLayout.load(config, where);
        } else if (data.format() == DataFormat.GENERATED) {
            split = generated(config, where);
        } else {
            split = fromFiles(config, where);
        }
        DataRules.check(config, split, where);
        return split;
    }

    /**
     * {@link #load}, or for data the streaming path takes ({@code data.streaming}, {@link StreamedSplit#streams}) its
     * splits over the binary cache, built first when it is not there; {@code note} hears which, and what the cache is.
     */
    public static SplitData loadForTraining(LoadedConfig loaded, java.util.function.Consumer<String> note) {
        ExperimentConfig config = loaded.config();
        if (!StreamedSplit.streams(config, loaded.locations())) {
            return load(loaded);
        }
        long start = System.nanoTime();
        if (config.data().format() == DataFormat.SERIES) {
            SeriesCache series = SeriesCache.of(config.data(), loaded.locations());
            note.accept(String.format(java.util.Locale.ROOT, "data: streamed from the cache %s (%s, %s, %.1f MB)",
                    series.directory(), series.built() ? String.format(java.util.Locale.ROOT, "built in %.1f s", (System.nanoTime() - start) / 1e9)
                            : "reused", series.describe(), series.bytes() / 1e6));
            return StreamedSeries.split(series, config, loaded.locations());
        }
        if (config.data().format() == DataFormat.ROWS && config.data().labels().from() == null) {
            throw unlabelledRows(loaded.locations()); // before a cache is built, as the in-memory path says it before training
        }
        List<SequenceCache> caches = config.data().paths().isEmpty() ? List.of(SequenceCache.of(config)) : StreamedPooledText.caches(config);
        for (SequenceCache cache : caches) {
            // one stream of text is cached a line at a time, so its size counts lines: its tokens are what it is cut from
            String contents = StreamedText.isStream(config) ? "a stream of " + cache.valueCount() + " tokens, line breaks included"
                    : cache.size() + " sequences";
            note.accept(String.format(java.util.Locale.ROOT, "data: streamed from the cache %s (%s, %s, %.1f MB)", cache.directory(),
                    cache.built() ? String.format(java.util.Locale.ROOT, "built in %.1f s", (System.nanoTime() - start) / 1e9) : "reused",
                    contents, cache.bytes() / 1e6));
        }
        return StreamedSplit.load(config, loaded.locations(), caches.get(0));
    }

    private static SplitData generated(ExperimentConfig config, ConfigLocations where) {
        GeneratorConfig g = config.data().generator();
        SequenceSet all = switch (g.kind()) {
            case SYNTHETIC_CONTROL -> SyntheticControl.generate(g.samplesPerClass(), g.length(), config.seed());
            case SHIFT_DETECTION -> SyntheticControl.shiftDetection(g.samplesPerClass(), g.length(), config.seed());
            case DENOISING -> SyntheticControl.denoising(g.samplesPerClass(), g.length(), config.seed());
            case ADDING -> MemoryTasks.adding(g.samplesPerClass(), g.length(), config.seed());
            case RECALL -> MemoryTasks.recall(g.samplesPerClass(), g.length(), config.seed());
            case CHART_SYNTHESIS -> SyntheticControl.synthesis(g.samplesPerClass(), g.length(), config.seed());
            case DATES, ADDITION, REVERSAL -> throw new IllegalStateException(g.kind() + " makes pairs (PairsLayout)");
        };
        List<String> classes = switch (g.kind()) {
            case SYNTHETIC_CONTROL -> SyntheticControl.CLASSES;
            case SHIFT_DETECTION -> SyntheticControl.SHIFT_CLASSES;
            case DENOISING -> List.of("value");
            case ADDING -> List.of("sum");
            case RECALL -> MemoryTasks.RECALL_CLASSES;
            case CHART_SYNTHESIS -> List.of("value");
            case DATES, ADDITION, REVERSAL -> throw new IllegalStateException(g.kind() + " makes pairs (PairsLayout)");
        };
        if (!config.data().labels().classes().isEmpty()) {
            throw where.error("data.labels.classes", "generated data names its own classes " + classes + "; remove data.labels.classes");
        }
        List<String> features = g.kind() == io.rnnkit.config.GeneratorKind.CHART_SYNTHESIS
                ? SyntheticControl.SYNTHESIS_FEATURES : SplitData.positionalNames(all.features());
        return split(config, all, null, classes, features, fingerprint(classes, all), where);
    }

    private static SplitData fromFiles(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        Task task = Task.of(config);
        boolean perStep = task.answersPerStep();
        ArchiveFile archive = archive(data.format()) ? ArchiveFile.read(data.format(), DataPaths.resolve(data.path())) : null;
        RawSequences main = PiecewiseAggregate.apply(archive != null ? archive.sequences() : read(data, data.path(), perStep), data.segments());
        RawSequences testFile = data.testPath() == null ? null : PiecewiseAggregate.apply(read(data, data.testPath(), perStep), data.segments());
        if (main.labels() == null) {
            throw archive != null ? new DataException(data.path() + ": the task needs a label per case, but the header declares none"
                    + " (@classLabel true ... or @targetLabel true in a .ts file)")
                    : unlabelledRows(where);
        }
        List<String> classes;
        SequenceSet all;
        SequenceSet fixedTest = null;
        if (task.isClassification()) {
            // an archive file's header declares its classes in order; data.labels.classes, when given, overrides it
            boolean fromHeader = data.labels().classes().isEmpty() && archive != null && !archive.classes().isEmpty();
            String source = fromHeader ? "declared in the header of " + data.path()
                    : data.labels().classes().isEmpty() ? "the classes found in " + data.path() : "declared in data.labels.classes";
            classes = ClassLabels.classes(fromHeader ? archive.classes() : data.labels().classes(), ClassLabels.texts(main));
            if (classes.size() < 2) {
                throw where.error("data.labels", "classification needs at least two classes, found " + classes + " in " + data.path());
            }
            all = classified(main, classes, source);
            if (testFile != null) {
                fixedTest = classified(testFile, classes, source);
            }
        } else {
            all = regressed(main);
            classes = targetNames(all.targetWidth());
            if (testFile != null) {
                fixedTest = regressed(testFile);
                if (fixedTest.targetWidth() != all.targetWidth()) {
                    throw where.error("data.testPath", "the test data has " + fixedTest.targetWidth() + " target values per label, the training data "
                            + all.targetWidth());
                }
            }
        }
        if (fixedTest != null && fixedTest.features() != all.features()) {
            throw where.error("data.testPath", "the test data has " + fixedTest.features() + " features per step, the training data "
                    + all.features());
        }
        return split(config, all, fixedTest, classes, SplitData.positionalNames(all.features()), fingerprint(classes, all, fixedTest), where,
                main.steps() == null ? null : new RawSequences[]{main, testFile});
    }

    /** Rows without data.labels.from (which ConfigRules refuses for classification only): there is nothing to learn. */
    private static io.rnnkit.config.ConfigException unlabelledRows(ConfigLocations where) {
        return where.error("data.labels.from", "the task needs a label per sequence, but none is configured");
    }

    static SplitData split(ExperimentConfig config, SequenceSet all, SequenceSet fixedTest, List<String> classes,
                           List<String> featureNames, String fingerprint, ConfigLocations where) {
        return split(config, all, fixedTest, classes, featureNames, fingerprint, where, null);
    }

    /**
     * @param text the file (and test file, or null) as read, when features are categorical ({@code data.categorical}): their
     *             categories are learnt from the training split, and every split made one-hot over them; else null
     */
    private static SplitData split(ExperimentConfig config, SequenceSet all, SequenceSet fixedTest, List<String> classes,
                                   List<String> featureNames, String fingerprint, ConfigLocations where, RawSequences[] text) {
        DataConfig data = config.data();
        Random random = new Random(config.seed());
        double[] fractions = fixedTest != null
                ? new double[]{data.split().train(), data.split().validation()}
                : new double[]{data.split().train(), data.split().validation(), data.split().test()};
        int[][] parts = Splits.split(all, fractions, data.split().stratify(), classes.size(), random);
        Categories categories = null;
        SeriesReport report = null;
        if (text != null) {
            List<TimeColumns.Row> training = new ArrayList<>();
            for (int i : parts[0]) {
                training.addAll(text[0].steps().get(i));
            }
            categories = Categories.fit(training, featureNames, data.categorical(), training.size());
            String[] partOf = new String[all.size()];
            String[] names = {"train", "validation", "test"};
            for (int p = 0; p < parts.length; p++) {
                for (int i : parts[p]) {
                    partOf[i] = names[p];
                }
            }
            Map<String, Map<String, Integer>> other = new java.util.LinkedHashMap<>();
            for (String name : names) {
                other.put(name, new java.util.LinkedHashMap<>());
            }
            all = all.withSequences(text[0].oneHot(categories, featureNames, i -> partOf[i], other));
            if (fixedTest != null) {
                fixedTest = fixedTest.withSequences(text[1].oneHot(categories, featureNames, i -> "test", other));
            }
            report = new SeriesReport(Map.of(), List.of(), Map.of("categories_other", other));
            featureNames = categories.featureNames(featureNames);
            fingerprint = fingerprint(classes, all, fixedTest); // of the features the network reads, the texts' one-hot included
        }
        SequenceSet train = all.subset(parts[0]);
        SequenceSet validation = all.subset(parts[1]);
        SequenceSet test = fixedTest != null ? fixedTest : all.subset(parts[2]);
        // an empty split from a label set that makes no sense (a class per case) says so, not just "give it more data"
        String labels = train.isClassification() ? String.join("; ", LabelWarnings.of(config, classes, all, fixedTest)) : "";
        requireNonEmpty(train, "train", all.size(), where, labels);
        if (data.split().validation() > 0) {
            requireNonEmpty(validation, "validation", all.size(), where, labels);
        }
        requireNonEmpty(test, fixedTest != null ? "test file" : "test", all.size(), where, labels);
        return new SplitData(train, validation, test, classes, featureNames, fingerprint, null, null, categories, report);
    }

    private static RawSequences read(DataConfig data, String raw, boolean perStep) {
        return switch (data.format()) {
            case ROWS -> RowsLayout.read(DataPaths.resolve(raw), data);
            case SEQUENCE_FILES -> SequenceFilesLayout.read(DataPaths.resolve(raw), data.skipLines(), delimiterChar(data), perStep, data.categorical());
            case TS, ARFF -> ArchiveFile.read(data.format(), DataPaths.resolve(raw)).sequences();
            case GENERATED, SERIES, TEXT -> throw new IllegalStateException(data.format() + " data is not read from labelled files");
        };
    }

    /** Whether the format is a UEA/UCR archive file, whose header declares its classes. */
    private static boolean archive(DataFormat format) {
        return format == DataFormat.TS || format == DataFormat.ARFF;
    }

    private static SequenceSet classified(RawSequences raw, List<String> classes, String source) {
        List<int[]> indices = ClassLabels.indices(raw, classes, source);
        if (raw.perStep()) {
            return SequenceSet.classifiedPerStep(raw.sequences(), indices);
        }
        return SequenceSet.classified(raw.sequences(), indices.stream().mapToInt(a -> a[0]).toArray());
    }

    private static SequenceSet regressed(RawSequences raw) {
        List<double[][]> targets = new ArrayList<>(raw.labels().size());
        int width = raw.labels().get(0)[0].length;
        for (int i = 0; i < raw.labels().size(); i++) {
            String[][] label = raw.labels().get(i);
            double[][] values = new double[label.length][];
            for (int t = 0; t < label.length; t++) {
                if (label[t].length != width) {
                    throw new DataException(raw.origins().get(i).at(t) + ": " + label[t].length + " target values, the first label has " + width);
                }
                values[t] = new double[width];
                for (int k = 0; k < width; k++) {
                    values[t][k] = target(raw.origins().get(i).at(t), label[t][k]);
                }
            }
            targets.add(values);
        }
        if (raw.perStep()) {
            return SequenceSet.regressedPerStep(raw.sequences(), targets);
        }
        return SequenceSet.regressed(raw.sequences(), targets.stream().map(v -> v[0]).toArray(double[][]::new));
    }

    /** A regression target's text as a finite float32 number, or a fault at {@code where}. */
    static double target(String where, String text) {
        Double parsed = TextRecords.strictNumber(text.strip(), '.');
        if (parsed == null) {
            throw new DataException(where + ": target '" + text.strip() + "' is not a number (task.kind is regression)");
        }
        double value = parsed;
        if (!Double.isFinite(value)) {
            throw new DataException(where + ": target " + text.strip() + " is not a finite number");
        }
        if (Float.isInfinite((float) value)) {
            throw new DataException(where + ": target " + text.strip() + " is beyond the float32 range (±" + Float.MAX_VALUE
                    + ") the network computes in; rescale the target");
        }
        return value;
    }

    /** The single character separating CSV values: data.separator, else data.delimiter (sequence files have no whitespace layout: comma then). */
    static char delimiterChar(DataConfig data) {
        Character separator = CsvDialect.of(data).separator();
        return separator == null ? ',' : separator;
    }

    static List<String> targetNames(int width) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < width; k++) {
            names.add(width == 1 ? "target" : "target" + (k + 1));
        }
        return names;
    }

    static void requireNonEmpty(SequenceSet set, String name, int total, ConfigLocations where) {
        requireNonEmpty(set, name, total, where, "");
    }

    private static void requireNonEmpty(SequenceSet set, String name, int total, ConfigLocations where, String labelWarning) {
        if (set.size() == 0) {
            String path = name.equals("test file") ? "data.testPath" : "data.split." + name;
            throw where.error(path, "the " + name + " split is empty (" + total + " sequences in all); "
                    + (labelWarning.isEmpty() ? "give it a larger fraction or more data" : "the labels are the likely cause: " + labelWarning));
        }
    }

    /** SHA-256 over the class names and every value and label of the given sets, in order. */
    static String fingerprint(List<String> classes, SequenceSet... sets) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.join("\n", classes).getBytes(StandardCharsets.UTF_8));
            ByteBuffer buffer = ByteBuffer.allocate(8);
            for (SequenceSet set : sets) {
                if (set == null) {
                    continue;
                }
                for (int i = 0; i < set.size(); i++) {
                    double[][] sequence = set.sequence(i);
                    int[] stepClasses = set.isClassification() ? set.classesOf(i) : null; // read once, not a step at a time
                    double[][] targets = stepClasses == null ? set.targetsOf(i) : null;
                    for (int t = 0; t < sequence.length; t++) {
                        for (double v : sequence[t]) {
                            digest.update(buffer.clear().putDouble(v).flip());
                        }
                        if (set.perStep() || t == 0) {
                            if (stepClasses != null) {
                                digest.update(buffer.clear().putDouble(stepClasses[set.perStep() ? t : 0]).flip());
                            } else {
                                for (double v : targets[set.perStep() ? t : 0]) {
                                    digest.update(buffer.clear().putDouble(v).flip());
                                }
                            }
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
