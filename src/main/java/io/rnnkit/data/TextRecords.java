package io.rnnkit.data;

import io.rnnkit.config.Delimiter;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaDataLine;
import org.datavec.api.records.reader.RecordReader;
import org.datavec.api.records.reader.impl.LineRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited text files ({@link CsvReader}) and raw lines (DataVec's {@link LineRecordReader}), and parses
 * their numbers strictly. Every record keeps its line number so that later faults can be reported where they are.
 */
public final class TextRecords {
    /** One non-blank line: its number (from 1) and its fields. */
    public record Line(long number, List<String> fields) {
    }

    private TextRecords() {
    }

    /** The non-blank records of a delimited file after its first {@code skipLines} lines (see {@link CsvReader}). */
    public static List<Line> read(Path file, Delimiter delimiter, int skipLines) {
        return CsvReader.read(file, CsvDialect.of(delimiter), skipLines).lines();
    }

    /** Every line of a text file as it is (one field each, blank lines included), read with DataVec's LineRecordReader. */
    public static List<Line> rawLines(Path file) {
        return records(file, new LineRecordReader(), "text");
    }

    /** Each record a DataVec reader makes of the file, its fields as text, with its line number (from 1). */
    private static List<Line> records(Path file, RecordReader reader, String what) {
        List<Line> out = new ArrayList<>();
        try (Lines lines = new Lines(file, reader, what)) {
            lines.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * {@link #rawLines} one line at a time, for files too large to hold (the streaming path): the same lines, numbered the
     * same, read when asked for. Close it when done.
     */
    static Lines rawLineIterator(Path file) {
        return new Lines(file, new LineRecordReader(), "text");
    }

    /** The records of a DataVec reader over a file, read when asked for; a fault names the file and what it was read as. */
    static final class Lines implements java.util.Iterator<Line>, AutoCloseable {
        private final Path file;
        private final RecordReader reader;
        private final String what;
        private long counter;

        private Lines(Path file, RecordReader reader, String what) {
            if (!Files.isRegularFile(file)) {
                throw new DataException(file + ": no such data file");
            }
            requireUtf8(file);
            this.file = file;
            this.reader = reader;
            this.what = what;
            try {
                reader.initialize(new FileSplit(file.toFile()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw fault(e);
            }
        }

        @Override
        public boolean hasNext() {
            try {
                return reader.hasNext();
            } catch (RuntimeException e) {
                throw fault(e);
            }
        }

        @Override
        public Line next() {
            try {
                Record record = reader.nextRecord();
                counter++;
                long number = record.getMetaData() instanceof RecordMetaDataLine meta ? meta.getLineNumber() + 1 : counter;
                return new Line(number, record.getRecord().stream().map(Writable::toString).toList());
            } catch (RuntimeException e) {
                throw fault(e);
            }
        }

        private DataException fault(Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return e instanceof DataException d ? d : new DataException(file + ": cannot be read as " + what + ": " + e.getMessage(), e);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw fault(e);
            }
        }
    }

    /**
     * The whole text of a UTF-8 file; a message naming the file when it is absent ({@code no such <kind>}), not UTF-8
     * or unreadable ({@code cannot be read<as>: why}).
     */
    static String readUtf8(Path file, String kind, String as) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such " + kind);
        }
        requireUtf8(file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read" + as + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails at the line and column of the first byte sequence that is not UTF-8: DataVec's readers would
     * silently read it as U+FFFD, so a mis-encoded file would train on replacement characters.
     */
    static void requireUtf8(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        long column = 1;
        try (ReadableByteChannel channel = Files.newByteChannel(file)) {
            boolean end = false;
            while (!end) {
                end = channel.read(in) < 0;
                in.flip();
                CoderResult result = decoder.decode(in, out, end);
                out.flip();
                while (out.hasRemaining()) {
                    char c = out.get();
                    if (c == '\n') {
                        line++;
                        column = 1;
                    } else if (!Character.isLowSurrogate(c)) {
                        column++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    throw DataException.at(file, line, "column " + column + ": bytes that are not UTF-8 (byte 0x"
                            + Integer.toHexString(in.get(in.position()) & 0xff) + "); data files must be UTF-8 text");
                }
                in.compact();
            }
            out.clear();
            decoder.flush(out);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses a field as a finite number, or says at which line and column it is not one. */
    public static double number(Path file, Line line, int column, String text) {
        return number(file, line, column, text, '.');
    }

    /**
     * A number written strictly in the file's decimal syntax: optional sign, digits with at most one {@code decimal}
     * mark, an optional exponent. Java's own spellings ({@code 1d}, {@code 0x1p3}, {@code NaN}, {@code Infinity}),
     * digit separators and the other decimal mark are not numbers in a data file. Null when the text is not one.
     */
    static Double strictNumber(String text, char decimal) {
        if (!isNumber(text, decimal)) {
            return null;
        }
        return Double.parseDouble(decimal == '.' ? text : text.replace(decimal, '.'));
    }

    /**
     * Whether the text is {@code [+-]?(\d+(D\d*)?|D\d+)([eE][+-]?\d+)?} with D the decimal mark ({@link #POINT_NUMBER},
     * {@link #COMMA_NUMBER}), checked by hand: matching the expression for every value of a large file cost about twice as much
     * as checking and parsing it here (NumberSyntaxTest holds the two to the same answers).
     */
    static boolean isNumber(String text, char decimal) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int before = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            before++;
        }
        int after = 0;
        if (i < n && text.charAt(i) == decimal) {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                after++;
            }
        }
        if (before == 0 && after == 0) {
            return false;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static final java.util.regex.Pattern POINT_NUMBER = java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    static final java.util.regex.Pattern COMMA_NUMBER = java.util.regex.Pattern.compile("[+-]?(\\d+(,\\d*)?|,\\d+)([eE][+-]?\\d+)?");

    /** Parses a field as a finite number in the given decimal syntax, or says at which line and column it is not one. */
    public static double number(Path file, Line line, int column, String text, char decimal) {
        Double parsed = strictNumber(text, decimal);
        if (parsed == null) {
            throw DataException.at(file, line.number(), "column " + (column + 1) + ": '" + text + "' is not a number"
                    + (decimal == ',' ? " (data.decimal: comma, so 2,5 not 2.5)" : "")
                    + (text.isEmpty() || text.equalsIgnoreCase("NaN") || text.equalsIgnoreCase("NA") || text.equals("?")
                    ? "; if it marks a missing value, declare it in data.missing.markers (format: series)" : ""));
        }
        double value = parsed;
        if (!Double.isFinite(value)) {
            throw DataException.at(file, line.number(), "column " + (column + 1) + ": " + text
                    + " is not a finite number (missing values must be filled in before training)");
        }
        if (Float.isInfinite((float) value)) {
            // the network computes in float32, where such a value is infinite: training would end in NaN
            throw DataException.at(file, line.number(), "column " + (column + 1) + ": " + text + " is beyond the float32 range (±"
                    + Float.MAX_VALUE + ") the network computes in; rescale the column");
        }
        return value;
    }
}
