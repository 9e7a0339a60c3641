package io.rnnkit.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.rnnkit.config.YamlNames;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Labelled incident windows of a series, each {@code [start, end]} with both ends inclusive as the Numenta
 * Anomaly Benchmark defines them. Read from a CSV file with a header {@code start,end} or {@code start,end,label},
 * or from NAB's JSON layout {@code {"series-key": [["start", "end"], ...], ...}} with the key of one series. Times
 * are read like the series' time column: with its {@code timeFormat} when there is one, else (and for NAB's
 * {@code 2013-12-10 06:25:00.000000}) as ISO-8601. A window without a label is an {@value #DEFAULT_LABEL}; steps
 * outside every window are {@value #NORMAL}.
 * <p>
 * Every fault is a {@link DataException} naming the file and the line (CSV) or the line and JSON path.
 */
public final class IncidentWindows {
    /** The label of a window that has none (NAB's windows). */
    public static final String DEFAULT_LABEL = "anomaly";
    /** The label of every step outside the windows. */
    public static final String NORMAL = "normal";

    /**
     * One window, {@code start} to {@code end} inclusive.
     *
     * @param where the file and line (and JSON path) it was read from, for messages
     */
    public record Window(LocalDateTime start, LocalDateTime end, String label, String where) {
    }

    /** The steps {@code first .. last} (inclusive indices into the series) that a window covers. */
    public record Span(int first, int last, Window window) {
        public int steps() {
            return last - first + 1;
        }
    }

    /**
     * The windows laid on a series of {@code steps} steps.
     *
     * @param spans the windows' steps, in time order
     */
    public record OnSeries(List<Span> spans, int steps) {
        public OnSeries {
            spans = List.copyOf(spans);
        }

        /** Per step its label: the window's that holds it, else {@value #NORMAL}. */
        public String[] labels() {
            String[] out = new String[steps];
            java.util.Arrays.fill(out, NORMAL);
            for (Span s : spans) {
                java.util.Arrays.fill(out, s.first(), s.last() + 1, s.window().label());
            }
            return out;
        }

        /** Per step whether a window holds it. */
        public boolean[] inside() {
            boolean[] out = new boolean[steps];
            for (Span s : spans) {
                java.util.Arrays.fill(out, s.first(), s.last() + 1, true);
            }
            return out;
        }

        /** Per step the index of its label in {@code classes}, which must hold {@value #NORMAL} and every window's label. */
        public int[] classes(List<String> classes) {
            String[] labels = labels();
            int[] out = new int[steps];
            for (int t = 0; t < steps; t++) {
                out[t] = classes.indexOf(labels[t]);
                if (out[t] < 0) {
                    throw new IllegalArgumentException("label '" + labels[t] + "' is not among the classes " + classes);
                }
            }
            return out;
        }
    }

    private final Path file;
    private final List<Window> windows;

    private IncidentWindows(Path file, List<Window> windows) {
        this.file = file;
        this.windows = List.copyOf(windows);
    }

    /**
     * Reads the windows of a file: NAB's JSON layout (the file's first character is '{') with the series' key,
     * else CSV without a key.
     *
     * @param key        the series' key in a JSON file, such as {@code realKnownCause/nyc_taxi.csv}; null for CSV
     * @param timeFormat the series' java.time pattern ({@code data.series.timeFormat}), or null for ISO-8601
     */
    public static IncidentWindows read(Path file, String key, String timeFormat) {
        String text = TextRecords.readUtf8(file, "windows file", "");
        DateTimeFormatter format = null;
        if (timeFormat != null) {
            try {
                format = TimeAxis.formatter(timeFormat);
            } catch (IllegalArgumentException e) {
                throw new DataException(file + ": the time format '" + timeFormat + "' is not a java.time pattern: " + e.getMessage());
            }
        }
        Times times = new Times(format, timeFormat);
        boolean json = text.stripLeading().replaceFirst("^\uFEFF", "").startsWith("{");
        List<Window> read;
        if (json) {
            if (key == null) {
                throw new DataException(file + ": a JSON windows file (NAB's layout) holds the windows of several series; give the key of one");
            }
            read = readJson(file, text, key, times);
        } else {
            if (key != null) {
                throw new DataException(file + ": a key ('" + key + "') picks a series in a JSON windows file (NAB's layout), but this is CSV");
            }
            read = readCsv(file, times);
        }
        checkOrder(file, read);
        return new IncidentWindows(file, read);
    }

    public Path file() {
        return file;
    }

    /** The windows in time order. */
    public List<Window> windows() {
        return windows;
    }

    /** The distinct labels of the windows, in time order of their first window. */
    public List<String> labels() {
        return List.copyOf(new LinkedHashSet<>(windows.stream().map(Window::label).toList()));
    }

    /**
     * The windows on a series' time axis: each covers the steps whose time lies within {@code [start, end]}.
     * A window that reaches before the first step or after the last, or that covers no step (it lies in a gap),
     * is a fault naming the window and the series' span.
     *
     * @param times the series' steps, in increasing time order
     */
    public OnSeries onSeries(List<LocalDateTime> times) {
        if (times.isEmpty()) {
            throw new IllegalArgumentException("a series without steps");
        }
        LocalDateTime firstTime = times.get(0);
        LocalDateTime lastTime = times.get(times.size() - 1);
        DataFaults faults = new DataFaults();
        List<Span> spans = new ArrayList<>(windows.size());
        for (Window w : windows) {
            if (w.start().isBefore(firstTime) || w.end().isAfter(lastTime)) {
                faults.add(new DataException(w.where() + ": the window " + text(w) + " reaches outside the series, which runs from "
                        + text(firstTime) + " to " + text(lastTime)));
                continue;
            }
            int first = firstAtOrAfter(times, w.start());
            int last = firstAtOrAfter(times, w.end().plusNanos(1)) - 1;
            if (last < first) {
                faults.add(new DataException(w.where() + ": the window " + text(w) + " holds no step of the series (it lies in a gap)"));
                continue;
            }
            spans.add(new Span(first, last, w));
        }
        faults.throwIfAny();
        return new OnSeries(spans, times.size());
    }

    /** The index of the first time at or after {@code t} (binary search), {@code times.size()} when none is. */
    private static int firstAtOrAfter(List<LocalDateTime> times, LocalDateTime t) {
        int low = 0;
        int high = times.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times.get(mid).isBefore(t)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static List<Window> readCsv(Path file, Times times) {
        List<TextRecords.Line> lines = CsvReader.read(file, CsvDialect.COMMA, 0).lines();
        if (lines.isEmpty()) {
            throw new DataException(file + ": empty; expected a header start,end (or start,end,label) and a window per line");
        }
        List<String> header = lines.get(0).fields().stream().map(String::strip).toList();
        if (!header.equals(List.of("start", "end")) && !header.equals(List.of("start", "end", "label"))) {
            throw DataException.at(file, lines.get(0).number(), "the header is " + String.join(",", header)
                    + "; a windows file's header is start,end or start,end,label");
        }
        DataFaults faults = new DataFaults();
        List<Window> out = new ArrayList<>();
        for (TextRecords.Line line : lines.subList(1, lines.size())) {
            String where = file + ":" + line.number();
            if (line.fields().size() != header.size()) {
                faults.add(new DataException(where + ": " + line.fields().size() + " fields, the header has " + header.size()));
                continue;
            }
            String label = header.size() == 3 ? line.fields().get(2).strip() : "";
            try {
                out.add(window(where, line.fields().get(0), line.fields().get(1), label, times));
            } catch (DataException e) {
                faults.add(e);
            }
        }
        faults.throwIfAny();
        if (out.isEmpty()) {
            throw new DataException(file + ": holds a header but no window");
        }
        return out;
    }

    private static List<Window> readJson(Path file, String text, String key, Times times) {
        List<String> keys = new ArrayList<>();
        List<Window> out = null;
        try (JsonParser json = JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build().createParser(text)) {
            expect(file, json, json.nextToken(), JsonToken.START_OBJECT, "$", "an object of series keys");
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.getCurrentName();
                keys.add(name);
                String path = "$[" + quoted(name) + "]";
                if (!name.equals(key)) {
                    json.nextToken();
                    json.skipChildren();
                    continue;
                }
                out = new ArrayList<>();
                expect(file, json, json.nextToken(), JsonToken.START_ARRAY, path, "a list of [start, end] windows");
                DataFaults faults = new DataFaults();
                for (int i = 0; json.nextToken() != JsonToken.END_ARRAY; i++) {
                    String at = path + "[" + i + "]";
                    String where = file + ":" + json.getTokenLocation().getLineNr() + ": " + at;
                    expect(file, json, json.currentToken(), JsonToken.START_ARRAY, at, "a window [start, end]");
                    List<String> ends = new ArrayList<>();
                    while (json.nextToken() != JsonToken.END_ARRAY) {
                        expect(file, json, json.currentToken(), JsonToken.VALUE_STRING, at + "[" + ends.size() + "]", "a time as a string");
                        ends.add(json.getText());
                    }
                    if (ends.size() != 2) {
                        faults.add(new DataException(where + ": a window is [start, end], found " + ends.size() + " time(s)"));
                        continue;
                    }
                    try {
                        out.add(window(where, ends.get(0), ends.get(1), "", times));
                    } catch (DataException e) {
                        faults.add(e);
                    }
                }
                faults.throwIfAny();
            }
            expect(file, json, json.currentToken(), JsonToken.END_OBJECT, "$", "the end of the object");
            if (json.nextToken() != null) {
                throw new DataException(file + ":" + json.getTokenLocation().getLineNr() + ": text after the JSON object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DataException(file + (at == null ? "" : ":" + at.getLineNr()) + ": not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (out == null) {
            throw new DataException(file + ": no series key '" + key + "' (keys: " + keys + ")" + YamlNames.didYouMean(key, keys));
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": " + "$[" + quoted(key) + "] holds no window");
        }
        return out;
    }

    private static void expect(Path file, JsonParser json, JsonToken found, JsonToken wanted, String path, String what) {
        if (found != wanted) {
            throw new DataException(file + ":" + json.getTokenLocation().getLineNr() + ": " + path + ": expected " + what + ", found "
                    + (found == null ? "the end of the file" : found == JsonToken.VALUE_STRING ? quoted(text(json)) : text(json)));
        }
    }

    private static String text(JsonParser json) {
        try {
            return json.getText();
        } catch (IOException e) {
            throw new DataException("cannot read a JSON token: " + e.getMessage(), e);
        }
    }

    private static String quoted(String key) {
        return "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Window window(String where, String startText, String endText, String label, Times times) {
        LocalDateTime start = times.parse(where, "start", startText.strip());
        LocalDateTime end = times.parse(where, "end", endText.strip());
        if (end.isBefore(start)) {
            throw new DataException(where + ": the window ends (" + text(end) + ") before it starts (" + text(start) + ")");
        }
        if (label.equals(NORMAL)) {
            throw new DataException(where + ": '" + NORMAL + "' is the label of the steps outside every window; name the window's class otherwise");
        }
        return new Window(start, end, label.isEmpty() ? DEFAULT_LABEL : label, where);
    }

    /** Windows in time order, none overlapping another (a step would have two labels). */
    private static void checkOrder(Path file, List<Window> windows) {
        windows.sort(Comparator.comparing(Window::start));
        DataFaults faults = new DataFaults();
        for (int i = 1; i < windows.size(); i++) {
            Window before = windows.get(i - 1);
            Window w = windows.get(i);
            if (!w.start().isAfter(before.end())) {
                faults.add(new DataException(w.where() + ": the window " + text(w) + " overlaps the window " + text(before) + " of "
                        + before.where()));
            }
        }
        faults.throwIfAny();
    }

    private static String text(Window w) {
        return text(w.start()) + " to " + text(w.end());
    }

    private static String text(LocalDateTime t) {
        return t.toString().replace('T', ' ');
    }

    /** How a window's times are read: the series' pattern when it has one, else ISO-8601. */
    private record Times(DateTimeFormatter format, String pattern) {
        LocalDateTime parse(String where, String which, String text) {
            TimeAxis.Stamp stamp;
            try {
                stamp = format == null ? TimeAxis.parse(List.of(text), null, null) : parseEither(text);
            } catch (IllegalArgumentException e) {
                throw new DataException(where + ": " + which + ": " + e.getMessage());
            }
            if (stamp.at() == null) {
                throw new DataException(where + ": " + which + ": '" + text + "' is a plain number; windows are given in dates and times");
            }
            return stamp.at();
        }

        private TimeAxis.Stamp parseEither(String text) {
            try {
                return TimeAxis.parse(List.of(text), format, pattern);
            } catch (IllegalArgumentException e) {
                try {
                    return TimeAxis.parse(List.of(text), null, null);
                } catch (IllegalArgumentException iso) {
                    throw e;
                }
            }
        }
    }
}
