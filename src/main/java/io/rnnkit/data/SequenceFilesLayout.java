package io.rnnkit.data;

import org.datavec.api.records.SequenceRecord;
import org.datavec.api.records.reader.impl.csv.CSVSequenceRecordReader;
import org.datavec.api.split.NumberedFileInputSplit;
import org.datavec.api.writable.Writable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One CSV file per sequence (one row per time step, one column per feature) in {@code features/}, and its
 * label in the file of the same number in {@code labels/}: the layout of DL4J's UCI sequence example,
 * read with DataVec's {@link CSVSequenceRecordReader} over a {@link NumberedFileInputSplit}.
 */
final class SequenceFilesLayout {
    private static final Pattern NUMBERED = Pattern.compile("\\d+\\.csv");

    private SequenceFilesLayout() {
    }

    /**
     * @param perStep whether each label file holds a label per time step (one row per step, many-to-many)
     *                rather than one label for the whole sequence
     */
    static RawSequences read(Path folder, int skipLines, char delimiter, boolean perStep) {
        return read(folder, skipLines, delimiter, perStep, List.of());
    }

    /** @param categorical the columns holding text ({@code data.categorical}: x1 … xF), kept as text for one-hot encoding */
    static RawSequences read(Path folder, int skipLines, char delimiter, boolean perStep, List<String> categorical) {
        List<double[][]> sequences = new ArrayList<>();
        List<String[][]> labelTexts = new ArrayList<>();
        List<RawSequences.Origin> origins = new ArrayList<>();
        List<List<TimeColumns.Row>> steps = categorical.isEmpty() ? null : new ArrayList<>();
        each(folder, skipLines, delimiter, perStep, categorical, (sequence, texts, label, origin) -> {
            sequences.add(sequence);
            if (steps != null) {
                steps.add(texts);
            }
            labelTexts.add(label);
            origins.add(origin);
        });
        return new RawSequences(sequences, labelTexts, origins, perStep, steps);
    }

    /** Where {@link #each} puts a sequence, its steps with categorical features as text (or null), its label and the label's origin. */
    interface Pair {
        void accept(double[][] sequence, List<TimeColumns.Row> steps, String[][] label, RawSequences.Origin origin);
    }

    /**
     * Each sequence with its label, a pair of files at a time, so that nothing is held (the streaming path writes them to
     * its cache as they come).
     */
    static void each(Path folder, int skipLines, char delimiter, boolean perStep, List<String> categorical, Pair out) {
        Path labels = folder.resolve("labels");
        Path features = requireFolder(folder, "features");
        requireFolder(folder, "labels");
        int count = countNumbered(features);
        if (count == 0) {
            throw new DataException(features + ": no sequence files named 0.csv, 1.csv, ...");
        }
        for (int i = 0; i < count; i++) {
            if (!Files.isRegularFile(labels.resolve(i + ".csv"))) {
                throw new DataException(labels.resolve(i + ".csv") + ": missing; every features/N.csv needs a labels/N.csv");
            }
        }
        try (CSVSequenceRecordReader featureReader = new CSVSequenceRecordReader(skipLines, String.valueOf(delimiter));
             CSVSequenceRecordReader labelReader = new CSVSequenceRecordReader(skipLines, String.valueOf(delimiter))) {
            featureReader.initialize(new NumberedFileInputSplit(features.resolve("%d.csv").toString(), 0, count - 1));
            labelReader.initialize(new NumberedFileInputSplit(labels.resolve("%d.csv").toString(), 0, count - 1));
            for (int i = 0; i < count; i++) {
                Path labelFile = labels.resolve(i + ".csv");
                Path featureFile = features.resolve(i + ".csv");
                List<List<TimeColumns.Row>> steps = categorical.isEmpty() ? null : new ArrayList<>(1);
                double[][] sequence = next(featureReader, featureFile, skipLines, categorical, steps);
                TextRecords.requireUtf8(labelFile);
                List<List<Writable>> label = labelReader.nextSequence().getSequenceRecord();
                if (label.isEmpty()) {
                    throw new DataException(labelFile + ": empty; expected " + (perStep ? "a label per time step" : "the sequence's label"));
                }
                if (!perStep && label.size() > 1) {
                    throw DataException.at(labelFile, skipLines + 1, "expected one label for the whole sequence, found "
                            + label.size() + " rows (per-step labels need task.topology: many-to-many)");
                }
                if (perStep && label.size() != sequence.length) {
                    throw new DataException(labelFile + ": " + label.size() + " label rows, but " + featureFile.getFileName()
                            + " has " + sequence.length + " time steps; many-to-many needs a label row per step");
                }
                String[][] text = new String[label.size()][];
                for (int t = 0; t < label.size(); t++) {
                    text[t] = label.get(t).stream().map(w -> w.toString().strip()).toArray(String[]::new);
                    if (text[t].length != text[0].length) {
                        throw DataException.at(labelFile, skipLines + t + 1L, "ragged row: " + text[t].length + " values, the first row has " + text[0].length);
                    }
                }
                out.accept(sequence, steps == null ? null : steps.get(0), text, RawSequences.Origin.of(labelFile, skipLines + 1L));
            }
        } catch (IOException | InterruptedException e) {
            throw unreadable(folder, e);
        }
    }

    /** The next sequence file's values (see {@link #values}). */
    private static double[][] next(CSVSequenceRecordReader reader, Path file, int skipLines, List<String> categorical,
                                   List<List<TimeColumns.Row>> steps) {
        TextRecords.requireUtf8(file);
        SequenceRecord record = reader.nextSequence();
        return values(file, record.getSequenceRecord(), skipLines, categorical, steps);
    }

    /**
     * The sequences of {@code folder/features/} alone (a {@code labels/} folder beside it is ignored): the
     * input of a prediction, where labels are what is asked for. Each origin names the sequence's file.
     */
    static RawSequences readUnlabelled(Path folder, int skipLines, char delimiter) {
        return readUnlabelled(folder, skipLines, delimiter, List.of());
    }

    /** {@link #readUnlabelled(Path, int, char)} keeping the {@code categorical} columns as text. */
    static RawSequences readUnlabelled(Path folder, int skipLines, char delimiter, List<String> categorical) {
        Path features = requireFolder(folder, "features");
        int count = countNumbered(features);
        if (count == 0) {
            throw new DataException(features + ": no sequence files named 0.csv, 1.csv, ...");
        }
        List<double[][]> sequences = new ArrayList<>(count);
        List<RawSequences.Origin> origins = new ArrayList<>(count);
        List<List<TimeColumns.Row>> steps = categorical.isEmpty() ? null : new ArrayList<>(count);
        try (CSVSequenceRecordReader featureReader = new CSVSequenceRecordReader(skipLines, String.valueOf(delimiter))) {
            featureReader.initialize(new NumberedFileInputSplit(features.resolve("%d.csv").toString(), 0, count - 1));
            for (int i = 0; i < count; i++) {
                Path featureFile = features.resolve(i + ".csv");
                sequences.add(next(featureReader, featureFile, skipLines, categorical, steps));
                origins.add(new RawSequences.Origin(featureFile.toString(), 0));
            }
        } catch (IOException | InterruptedException e) {
            throw unreadable(folder, e);
        }
        return new RawSequences(sequences, null, origins, false, steps);
    }

    private static Path requireFolder(Path folder, String name) {
        Path sub = folder.resolve(name);
        if (!Files.isDirectory(sub)) {
            throw new DataException(folder + ": expected a folder " + name + "/ with one file per sequence (0.csv, 1.csv, ...)");
        }
        return sub;
    }

    private static DataException unreadable(Path folder, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new DataException(folder + ": cannot read the sequence files: " + e.getMessage(), e);
    }

    private static int countNumbered(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> NUMBERED.matcher(n).matches()).toList();
            for (int i = 0; i < names.size(); i++) {
                if (!names.contains(i + ".csv")) {
                    throw new DataException(folder.resolve(i + ".csv") + ": missing; sequence files must be numbered 0.csv to "
                            + (names.size() - 1) + ".csv without gaps");
                }
            }
            return names.size();
        } catch (IOException e) {
            throw new DataException(folder + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** @param steps when {@code categorical} names columns: the file's steps, with those columns as text, are added to it */
    private static double[][] values(Path file, List<List<Writable>> rows, int skipLines, List<String> categorical,
                                     List<List<TimeColumns.Row>> steps) {
        if (rows.isEmpty()) {
            throw new DataException(file + ": no time steps");
        }
        int width = rows.get(0).size();
        List<String> names = SplitData.positionalNames(width);
        for (String column : categorical) {
            if (!names.contains(column)) {
                throw new DataException(file + ": data.categorical names " + column + ", but a step has " + width + " column(s): x1 … x" + width);
            }
        }
        double[][] out = new double[rows.size()][width];
        List<TimeColumns.Row> texts = steps == null ? null : new ArrayList<>(rows.size());
        for (int t = 0; t < rows.size(); t++) {
            List<Writable> row = rows.get(t);
            TextRecords.Line line = new TextRecords.Line(skipLines + t + 1L, row.stream().map(Writable::toString).toList());
            if (row.size() != width) {
                throw DataException.at(file, line.number(), "ragged row: " + row.size() + " values, but the first step has " + width);
            }
            List<java.util.Set<String>> stepTexts = new ArrayList<>(width);
            for (int f = 0; f < width; f++) {
                String field = row.get(f).toString().strip();
                if (categorical.contains(names.get(f))) {
                    stepTexts.add(java.util.Set.of(field));
                    continue;
                }
                stepTexts.add(null);
                out[t][f] = TextRecords.number(file, line, f, field);
            }
            if (texts != null) {
                texts.add(new TimeColumns.Row(line.number(), null, out[t], stepTexts));
            }
        }
        if (texts != null) {
            steps.add(texts);
        }
        return out;
    }
}
