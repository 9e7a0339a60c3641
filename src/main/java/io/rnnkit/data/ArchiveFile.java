package io.rnnkit.data;

import io.rnnkit.config.DataFormat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file of the UEA/UCR time-series archive ({@code .ts} or {@code .arff}) read into sequences: one case per
 * sequence ({@code [T][dimensions]}), its label text, and the classes the header declares, in their declared
 * order (empty when the header declares none). Faults name the file, line and column.
 *
 * <p>Missing values ({@code ?}, {@code NaN}): trailing ones are the padding of a shorter case (the archive
 * writes unequal-length series that way), so the case ends before them; one inside a series is refused, since
 * rnnkit fills no gaps in this format.
 */
record ArchiveFile(RawSequences sequences, List<String> classes) {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    static ArchiveFile read(DataFormat format, Path file) {
        Cases cases = new Cases();
        return cases.done(file, scan(format, file, cases));
    }

    /** A line that is neither blank nor a comment: its number, its text, and where the text starts (from 0). */
    record Content(long line, String text, int indent) {
        String stripped() {
            return text.strip();
        }
    }

    /**
     * The file's lines without blank ones and comments (lines starting with {@code comment}), read with DataVec's line
     * reader one at a time, so that a file larger than the heap can be read through; {@link #lastLine} is the number of the
     * last line read so far (of the file, once the lines are all read).
     */
    static final class Text implements Iterable<Content>, AutoCloseable {
        private final TextRecords.Lines lines;
        private final String comment;
        private long last;

        private Text(Path file, String comment) {
            this.lines = TextRecords.rawLineIterator(file);
            this.comment = comment;
        }

        static Text of(Path file, String comment) {
            return new Text(file, comment);
        }

        long lastLine() {
            return last;
        }

        @Override
        public java.util.Iterator<Content> iterator() {
            return new java.util.Iterator<>() {
                private Content next = advance();

                private Content advance() {
                    while (lines.hasNext()) {
                        TextRecords.Line record = lines.next();
                        String text = record.fields().isEmpty() ? "" : record.fields().get(0);
                        last = record.number();
                        String stripped = text.strip();
                        if (!stripped.isEmpty() && !stripped.startsWith(comment)) {
                            return new Content(record.number(), text, text.indexOf(stripped.charAt(0)));
                        }
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Content next() {
                    if (next == null) {
                        throw new java.util.NoSuchElementException();
                    }
                    Content out = next;
                    next = advance();
                    return out;
                }
            };
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /** What a header says besides the cases: the last line of the file, whether cases carry a label, the declared classes. */
    record Scan(long lastLine, boolean labelled, List<String> classes) {
    }

    /**
     * Reads the file's cases into {@code cases} one at a time (the streaming path writes them to its cache as they come).
     *
     * @return what the header declares
     */
    static Scan scan(DataFormat format, Path file, Sink cases) {
        return switch (format) {
            case TS -> TsReader.scan(file, cases);
            case ARFF -> ArffReader.scan(file, cases);
            default -> throw new IllegalArgumentException(format + " is not an archive format");
        };
    }

    /** Where a reader puts each case it has read. */
    interface Sink {
        void add(double[][] sequence, String label, Path file, long line);
    }

    /** A fault at a line and column (both from 1, as editors count) of an archive file. */
    static DataException fault(Path file, long line, int column, String message) {
        return new DataException(file + ":" + line + ":" + column + ": " + message);
    }

    /** One dimension of a case as written: its values (NaN where missing) and the column each starts at. */
    record Dimension(double[] values, int[] columns) {
        static Dimension of(List<Double> values, List<Integer> columns) {
            return new Dimension(values.stream().mapToDouble(Double::doubleValue).toArray(), columns.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * A value: a decimal number in plain or E notation (nothing Java alone would take, such as {@code 1d} or
     * {@code 0x1p3}), or NaN for a missing one ({@code ?}, {@code NaN}).
     */
    static double value(Path file, long line, int column, String text) {
        if (text.equals("?") || text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (text.isEmpty()) {
            throw fault(file, line, column, "empty value; write ? for a missing one");
        }
        if (!NUMBER.matcher(text).matches()) {
            throw fault(file, line, column, "'" + text + "' is not a number");
        }
        double value = Double.parseDouble(text);
        if (Float.isInfinite((float) value)) {
            // the network computes in float32, where such a value is infinite: training would end in NaN
            throw fault(file, line, column, text + " is beyond the float32 range (±" + Float.MAX_VALUE + ") the network computes in");
        }
        return value;
    }

    /**
     * The case's sequence {@code [T][dimensions]}: trailing missing values end a dimension early; every dimension
     * must then have the same length, and no value inside it may be missing.
     */
    static double[][] sequence(Path file, long line, List<Dimension> dimensions) {
        int length = -1;
        for (int d = 0; d < dimensions.size(); d++) {
            Dimension dim = dimensions.get(d);
            int end = dim.values().length;
            while (end > 0 && Double.isNaN(dim.values()[end - 1])) {
                end--;
            }
            int column = dim.columns().length > 0 ? dim.columns()[0] : 1;
            if (end == 0) {
                throw fault(file, line, column, "dimension " + (d + 1) + " has no values (all missing)");
            }
            for (int t = 0; t < end; t++) {
                if (Double.isNaN(dim.values()[t])) {
                    throw fault(file, line, dim.columns()[t], "missing value at step " + (t + 1) + " of dimension " + (d + 1)
                            + ", inside the series: trailing missing values are read as the padding of a shorter case,"
                            + " but rnnkit fills no gap inside one; fill or drop it before training");
                }
            }
            if (length >= 0 && end != length) {
                throw fault(file, line, column, "dimension " + (d + 1) + " has " + end + " values, dimension 1 has " + length
                        + "; the dimensions of one case must have the same length");
            }
            length = end;
        }
        double[][] out = new double[length][dimensions.size()];
        for (int d = 0; d < dimensions.size(); d++) {
            for (int t = 0; t < length; t++) {
                out[t][d] = dimensions.get(d).values()[t];
            }
        }
        return out;
    }

    /** Cases read from a file: what {@link RawSequences} holds, collected a case at a time. */
    static final class Cases implements Sink {
        final List<double[][]> sequences = new ArrayList<>();
        final List<String[][]> labels = new ArrayList<>();
        final List<RawSequences.Origin> origins = new ArrayList<>();

        @Override
        public void add(double[][] sequence, String label, Path file, long line) {
            sequences.add(sequence);
            labels.add(label == null ? null : RawSequences.single(label));
            origins.add(RawSequences.Origin.of(file, line));
        }

        ArchiveFile done(Path file, Scan scan) {
            requireCases(file, scan, sequences.size());
            return new ArchiveFile(new RawSequences(sequences, scan.labelled() ? labels : null, origins, false), List.copyOf(scan.classes()));
        }
    }

    static void requireCases(Path file, Scan scan, int count) {
        if (count == 0) {
            throw fault(file, scan.lastLine(), 1, "no cases after @data");
        }
    }
}
