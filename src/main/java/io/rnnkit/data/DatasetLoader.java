package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.Delimiter;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.TaskKind;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
        if (data.format() == DataFormat.SERIES) {
            return SeriesLayout.load(config, where);
        }
        boolean classification = config.task().kind() == TaskKind.CLASSIFICATION;
        RawSequences main = read(data, data.path(), config);
        RawSequences testFile = data.testPath() == null ? null : read(data, data.testPath(), config);
        if (main.labels() == null) {
            throw where.error("data.labels.from", "the task needs a label per sequence, but none is configured");
        }
        List<String> classes;
        SequenceSet all;
        SequenceSet fixedTest = null;
        String mainSource = data.labels().classes().isEmpty() ? "the classes found in " + data.path() : "declared in data.labels.classes";
        if (classification) {
            List<String> declared = data.labels().classes().isEmpty() && data.format() == DataFormat.GENERATED
                    ? SyntheticControl.CLASSES : data.labels().classes();
            classes = ClassLabels.classes(declared, main.labels());
            if (classes.size() < 2) {
                throw where.error("data.labels", "classification needs at least two classes, found " + classes + " in " + data.path());
            }
            all = SequenceSet.classified(main.sequences(), ClassLabels.indices(main, classes, mainSource));
            if (testFile != null) {
                fixedTest = SequenceSet.classified(testFile.sequences(), ClassLabels.indices(testFile, classes, mainSource));
            }
        } else {
            classes = List.of("target");
            all = SequenceSet.regressed(main.sequences(), targets(main));
            if (testFile != null) {
                fixedTest = SequenceSet.regressed(testFile.sequences(), targets(testFile));
            }
        }
        if (fixedTest != null && fixedTest.features() != all.features()) {
            throw where.error("data.testPath", "the test data has " + fixedTest.features() + " features per step, the training data "
                    + all.features());
        }
        Random random = new Random(config.seed());
        SequenceSet train;
        SequenceSet validation;
        SequenceSet test;
        double trainFraction = data.split().train();
        double validationFraction = data.split().validation();
        if (fixedTest != null) {
            int[][] parts = Splits.split(all, new double[]{trainFraction, validationFraction}, data.split().stratify(), classes.size(), random);
            train = all.subset(parts[0]);
            validation = all.subset(parts[1]);
            test = fixedTest;
        } else {
            int[][] parts = Splits.split(all, new double[]{trainFraction, validationFraction, data.split().test()},
                    data.split().stratify(), classes.size(), random);
            train = all.subset(parts[0]);
            validation = all.subset(parts[1]);
            test = all.subset(parts[2]);
        }
        requireNonEmpty(train, "train", all.size(), where);
        if (validationFraction > 0) {
            requireNonEmpty(validation, "validation", all.size(), where);
        }
        requireNonEmpty(test, fixedTest != null ? "test file" : "test", all.size(), where);
        return new SplitData(train, validation, test, classes, SplitData.positionalNames(all.features()), fingerprint(main, testFile), null);
    }

    private static RawSequences read(DataConfig data, String raw, ExperimentConfig config) {
        return switch (data.format()) {
            case ROWS -> RowsLayout.read(DataPaths.resolve(raw), data);
            case SEQUENCE_FILES -> SequenceFilesLayout.read(DataPaths.resolve(raw), data.skipLines(), delimiterChar(data.delimiter()));
            case GENERATED -> generated(data, config.seed());
            case SERIES -> throw new IllegalStateException("series are windowed by SeriesLayout");
        };
    }

    private static RawSequences generated(DataConfig data, long seed) {
        SequenceSet set = SyntheticControl.generate(data.generator().samplesPerClass(), data.generator().length(), seed);
        List<double[][]> sequences = new java.util.ArrayList<>();
        List<String> labels = new java.util.ArrayList<>();
        List<String> origins = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            sequences.add(set.sequence(i));
            labels.add(SyntheticControl.CLASSES.get(set.classOf(i)));
            origins.add("generated sequence " + i);
        }
        return new RawSequences(sequences, labels, origins);
    }

    private static double[][] targets(RawSequences raw) {
        double[][] out = new double[raw.labels().size()][1];
        for (int i = 0; i < out.length; i++) {
            String text = raw.labels().get(i).strip();
            try {
                out[i][0] = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new DataException(raw.origins().get(i) + ": target '" + text + "' is not a number (task.kind is regression)");
            }
            if (!Double.isFinite(out[i][0])) {
                throw new DataException(raw.origins().get(i) + ": target " + text + " is not a finite number");
            }
        }
        return out;
    }

    private static void requireNonEmpty(SequenceSet set, String name, int total, ConfigLocations where) {
        if (set.size() == 0) {
            String path = name.equals("test file") ? "data.testPath" : "data.split." + name;
            throw where.error(path, "the " + name + " split is empty (" + total + " sequences in all); give it a larger fraction or more data");
        }
    }

    /** SHA-256 over every value and label read, in order. */
    static String fingerprint(RawSequences... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(8);
            for (RawSequences part : parts) {
                if (part == null) {
                    continue;
                }
                for (int i = 0; i < part.sequences().size(); i++) {
                    for (double[] step : part.sequences().get(i)) {
                        for (double v : step) {
                            buffer.clear();
                            digest.update(buffer.putDouble(v).flip());
                        }
                    }
                    if (part.labels() != null) {
                        digest.update(part.labels().get(i).strip().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static char delimiterChar(Delimiter d) {
        return d.character() == null ? ',' : d.character();
    }
}
