package io.rnnkit.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a delimited file as published: any single separator character or runs of whitespace, fields quoted with
 * doubled quotes inside, CRLF or LF, a UTF-8 byte-order mark stripped, trailing columns empty on every line and
 * trailing lines of empty fields ({@code ;;;;}) dropped and counted. Its own small tokenizer rather than DataVec's
 * {@code CSVRecordReader}, which keeps the BOM in the first field and numbers records, not the lines a quoted
 * field spans, so faults could not be placed where they are.
 */
public final class CsvReader {
    /**
     * The records of a file.
     *
     * @param lines           the non-blank records after the skipped lines, each with the line it starts on
     * @param emptyRows       trailing records whose fields were all empty, dropped
     * @param emptyColumns    trailing columns empty on every record, dropped
     */
    public record Table(List<TextRecords.Line> lines, int emptyRows, int emptyColumns) {
    }

    private CsvReader() {
    }

    public static Table read(Path file, CsvDialect dialect, int skipLines) {
        String text = TextRecords.readUtf8(file, "data file", " as " + dialect.describe());
        List<TextRecords.Line> lines = new ArrayList<>();
        Tokenizer tokens = new Tokenizer(file, text, dialect);
        while (tokens.more()) {
            long number = tokens.line;
            List<String> fields = tokens.record();
            boolean blank = fields.stream().allMatch(String::isBlank) && fields.size() <= 1;
            if (number > skipLines && !blank) {
                lines.add(new TextRecords.Line(number, fields));
            }
        }
        int emptyRows = 0;
        while (!lines.isEmpty() && lines.get(lines.size() - 1).fields().stream().allMatch(String::isBlank)) {
            lines.remove(lines.size() - 1);
            emptyRows++;
        }
        int emptyColumns = Integer.MAX_VALUE;
        for (TextRecords.Line line : lines) {
            List<String> f = line.fields();
            int trailing = 0;
            while (trailing < f.size() - 1 && f.get(f.size() - 1 - trailing).isBlank()) {
                trailing++;
            }
            emptyColumns = Math.min(emptyColumns, trailing);
        }
        if (lines.isEmpty() || dialect.separator() == null) {
            emptyColumns = 0;
        }
        if (emptyColumns > 0) {
            int drop = emptyColumns;
            lines.replaceAll(l -> new TextRecords.Line(l.number(), l.fields().subList(0, l.fields().size() - drop)));
        }
        return new Table(List.copyOf(lines), emptyRows, emptyColumns);
    }

    /**
     * The records of a file one line at a time, for files too large to hold: the same fields as {@link #read}, except that a
     * quoted field cannot span lines (the quote is reported as never closed) and trailing empty rows and columns are the
     * caller's to drop (nothing is known of the lines to come).
     */
    public static void stream(Path file, CsvDialect dialect, int skipLines, java.util.function.Consumer<TextRecords.Line> each) {
        java.nio.charset.CharsetDecoder strict = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.file.Files.newInputStream(file), strict),
                1 << 20)) {
            long number = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                number++;
                if (number <= skipLines) {
                    continue;
                }
                Tokenizer tokens = new Tokenizer(file, text, dialect);
                tokens.line = number;
                List<String> fields = tokens.more() ? tokens.record() : List.of("");
                if (!(fields.stream().allMatch(String::isBlank) && fields.size() <= 1)) {
                    each.accept(new TextRecords.Line(number, fields));
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataException(file + ": is not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (java.io.IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Cuts the text into records of stripped fields, counting lines as it goes. */
    private static final class Tokenizer {
        private final Path file;
        private final String text;
        private final CsvDialect dialect;
        private int at;
        long line = 1;

        Tokenizer(Path file, String text, CsvDialect dialect) {
            this.file = file;
            this.text = text;
            this.dialect = dialect;
            this.at = text.startsWith("\uFEFF") ? 1 : 0; // the BOM is no part of the first field
        }

        boolean more() {
            return at < text.length();
        }

        List<String> record() {
            if (dialect.separator() == null) {
                String raw = rest();
                String stripped = raw.strip();
                return stripped.isEmpty() ? List.of("") : Arrays.asList(stripped.split("\\s+"));
            }
            List<String> fields = new ArrayList<>();
            long start = line;
            while (true) {
                String field = peekIsQuote() ? quoted(start, fields.size() + 1) : plain();
                fields.add(field.strip());
                if (at < text.length() && text.charAt(at) == dialect.separator()) {
                    at++;
                    continue;
                }
                endOfLine();
                return fields;
            }
        }

        private boolean peekIsQuote() {
            int i = at;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t') && text.charAt(i) != dialect.separator()) {
                i++;
            }
            if (i < text.length() && text.charAt(i) == dialect.quote()) {
                at = i;
                return true;
            }
            return false;
        }

        private String quoted(long recordLine, int column) {
            long opened = line;
            at++;
            StringBuilder field = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw DataException.at(file, opened, "column " + column + ": the quote opened here is never closed");
                }
                char c = text.charAt(at);
                if (c == dialect.quote()) {
                    if (at + 1 < text.length() && text.charAt(at + 1) == dialect.quote()) {
                        field.append(c);
                        at += 2;
                        continue;
                    }
                    at++;
                    break;
                }
                if (c == '\n') {
                    line++;
                }
                field.append(c);
                at++;
            }
            int after = at;
            String tail = plain();
            if (!tail.isBlank()) {
                at = after;
                throw DataException.at(file, recordLine, "column " + column + ": text after the closing quote: '" + tail.strip()
                        + "' (a quote inside a quoted field is written twice: \"\")");
            }
            return field.toString();
        }

        /** Up to the next separator or line end, not consuming either. */
        private String plain() {
            int from = at;
            while (at < text.length() && text.charAt(at) != dialect.separator() && text.charAt(at) != '\n') {
                at++;
            }
            return text.substring(from, at);
        }

        private String rest() {
            int from = at;
            while (at < text.length() && text.charAt(at) != '\n') {
                at++;
            }
            String raw = text.substring(from, at);
            endOfLine();
            return raw;
        }

        private void endOfLine() {
            if (at < text.length() && text.charAt(at) == '\n') {
                at++;
                line++;
            }
        }
    }
}
