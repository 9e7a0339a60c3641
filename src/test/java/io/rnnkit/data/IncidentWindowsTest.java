package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Incident windows read from CSV and NAB's JSON, laid on a series' steps, and every fault named where it is. */
class IncidentWindowsTest {
    private static final String NYC = "realKnownCause/nyc_taxi.csv";

    @TempDir
    Path dir;

    /** Steps {@code minutes} apart from {@code start}. */
    private static List<LocalDateTime> steps(String start, int count, int minutes) {
        List<LocalDateTime> out = new ArrayList<>();
        LocalDateTime t = LocalDateTime.parse(start);
        for (int i = 0; i < count; i++) {
            out.add(t.plusMinutes((long) i * minutes));
        }
        return out;
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String fault(Path file, String key, String format) {
        DataException e = assertThrows(DataException.class, () -> IncidentWindows.read(file, key, format));
        assertInstanceOf(BadInputException.class, e);
        return e.getMessage();
    }

    @Test
    void nabWindowsOfNycTaxiCoverTheirStepsWithBothEndsInclusive() {
        Path json = TestData.require("nab/labels/combined_windows_filtered.json");
        IncidentWindows windows = IncidentWindows.read(json, NYC, null);
        assertEquals(5, windows.windows().size());
        assertEquals(LocalDateTime.parse("2014-10-30T15:30"), windows.windows().get(0).start());
        assertEquals(LocalDateTime.parse("2015-01-29T03:30"), windows.windows().get(4).end());
        assertEquals(List.of(IncidentWindows.DEFAULT_LABEL), windows.labels());
        assertTrue(windows.windows().get(1).where().startsWith(json + ":23: $[\"" + NYC + "\"][1]"), windows.windows().get(1).where());

        // nyc_taxi: 10320 half-hour steps from 1 July 2014
        IncidentWindows.OnSeries on = windows.onSeries(steps("2014-07-01T00:00", 10320, 30));
        IncidentWindows.Span first = on.spans().get(0);
        int oct30 = (31 + 31 + 30 + 29) * 48;
        assertEquals(oct30 + 31, first.first());               // 15:30 is the 31st half hour
        assertEquals(oct30 + 4 * 48 + 45, first.last());       // 3 November 22:30, inclusive
        assertEquals(4 * 48 + 15, first.steps());
        boolean[] inside = on.inside();
        assertTrue(inside[first.first()] && inside[first.last()] && !inside[first.first() - 1] && !inside[first.last() + 1]);
        int total = on.spans().stream().mapToInt(IncidentWindows.Span::steps).sum();
        assertEquals(total, (int) java.util.stream.IntStream.range(0, inside.length).filter(t -> inside[t]).count());
        assertEquals(5 * 207, total, "NAB's windows are all 207 half hours long (10% of the series over 5 windows)");
        int[] classes = on.classes(List.of("anomaly", "normal"));
        assertEquals(0, classes[first.first()]);
        assertEquals(1, classes[first.first() - 1]);
    }

    @Test
    void csvWindowsWithLabelsAndTheSeriesTimeFormat() throws IOException {
        Path csv = file("w.csv", "start,end,label\n03/01/2020 02.00,03/01/2020 03.00,spike\n01/01/2020 00.00,01/01/2020 01.00,\n");
        IncidentWindows windows = IncidentWindows.read(csv, null, "dd/MM/yyyy HH.mm");
        // time order, whatever the file's; a window without a label is an anomaly
        assertEquals(List.of("anomaly", "spike"), windows.labels());
        assertEquals(csv + ":3", windows.windows().get(0).where());
        IncidentWindows.OnSeries on = windows.onSeries(steps("2020-01-01T00:00", 60, 60));
        String[] labels = on.labels();
        assertArrayEquals(new String[]{"anomaly", "anomaly", "normal"}, java.util.Arrays.copyOfRange(labels, 0, 3));
        assertArrayEquals(new String[]{"normal", "spike", "spike", "normal"}, java.util.Arrays.copyOfRange(labels, 49, 53));
        // without a label column, ISO times
        IncidentWindows plain = IncidentWindows.read(file("p.csv", "start,end\n2020-01-01 05:00,2020-01-01T06:30\n"), null, null);
        assertEquals(List.of(5, 6), List.of(plain.onSeries(steps("2020-01-01T00:00", 10, 60)).spans().get(0).first(),
                plain.onSeries(steps("2020-01-01T00:00", 10, 60)).spans().get(0).last()));
    }

    @Test
    void aWindowInAGapOrOutsideTheSeriesIsRefused() throws IOException {
        IncidentWindows windows = IncidentWindows.read(file("w.csv", "start,end\n2020-01-01 01:10,2020-01-01 01:50\n"), null, null);
        String gap = assertThrows(DataException.class, () -> windows.onSeries(steps("2020-01-01T00:00", 5, 60))).getMessage();
        assertEquals(dir.resolve("w.csv") + ":2: the window 2020-01-01 01:10 to 2020-01-01 01:50 holds no step of the series (it lies in a gap)", gap);
        String outside = assertThrows(DataException.class, () -> windows.onSeries(steps("2020-01-01T01:30", 5, 60))).getMessage();
        assertEquals(dir.resolve("w.csv") + ":2: the window 2020-01-01 01:10 to 2020-01-01 01:50 reaches outside the series, which runs"
                + " from 2020-01-01 01:30 to 2020-01-01 05:30", outside);
    }

    @Test
    void csvFaultsNameTheLine() throws IOException {
        Path csv = file("w.csv", "start,end\n2020-01-02,2020-01-01\n2020-01-05,yesterday\n2020-01-07\n");
        String message = fault(csv, null, null);
        assertTrue(message.startsWith("3 faults in the data:"), message);
        assertTrue(message.contains(csv + ":2: the window ends (2020-01-01 00:00) before it starts (2020-01-02 00:00)"), message);
        assertTrue(message.contains(csv + ":3: end: time 'yesterday' is not an ISO-8601"), message);
        assertTrue(message.contains(csv + ":4: 1 fields, the header has 2"), message);

        assertEquals(csv + ":1: the header is from,to; a windows file's header is start,end or start,end,label",
                fault(file("w.csv", "from,to\n2020-01-01,2020-01-02\n"), null, null));
        assertEquals(csv + ": holds a header but no window", fault(file("w.csv", "start,end\n"), null, null));
        assertTrue(fault(file("w.csv", "start,end\n2020-01-01,2020-01-03\n2020-01-02,2020-01-04\n"), null, null)
                .equals(csv + ":3: the window 2020-01-02 00:00 to 2020-01-04 00:00 overlaps the window 2020-01-01 00:00 to 2020-01-03 00:00 of "
                        + csv + ":2"));
        assertTrue(fault(file("w.csv", "start,end,label\n2020-01-01,2020-01-03,normal\n"), null, null).startsWith(csv + ":2: 'normal' is the label"));
        assertEquals(csv + ":2: start: '17' is a plain number; windows are given in dates and times",
                fault(file("w.csv", "start,end\n17,20\n"), null, null));
        assertTrue(fault(csv, "some-key", null).startsWith(csv + ": a key ('some-key') picks a series in a JSON windows file"));
        assertEquals(dir.resolve("none.csv") + ": no such windows file", fault(dir.resolve("none.csv"), null, null));
    }

    @Test
    void jsonFaultsNameTheLineAndPath() throws IOException {
        Path json = file("w.json", "{\n  \"a.csv\": [\n    [\"2020-01-01 00:00:00.000000\", \"2020-01-02 00:00:00.000000\"],\n"
                + "    [\"2020-01-05 00:00:00.000000\", \"2020-01-03 00:00:00.000000\"],\n    [\"2020-01-07\"],\n    [\"2020-01-08\", \"2020-13-01\"]\n  ]\n}");
        String message = fault(json, "a.csv", null);
        assertTrue(message.startsWith("3 faults in the data:"), message);
        assertTrue(message.contains(json + ":4: $[\"a.csv\"][1]: the window ends (2020-01-03 00:00) before it starts (2020-01-05 00:00)"), message);
        assertTrue(message.contains(json + ":5: $[\"a.csv\"][2]: a window is [start, end], found 1 time(s)"), message);
        assertTrue(message.contains(json + ":6: $[\"a.csv\"][3]: end: time '2020-13-01' is not"), message);

        assertEquals(json + ": no series key 'b.csv' (keys: [a.csv])", fault(json, "b.csv", null).replaceAll(" \\(did you mean.*", ""));
        assertTrue(fault(json, "a.cs", null).contains("did you mean"), fault(json, "a.cs", null));
        assertTrue(fault(json, null, null).startsWith(json + ": a JSON windows file (NAB's layout) holds the windows of several series; give the key"));
        Path broken = file("b.json", "{\n  \"a.csv\": [\n    [\"2020-01-01\", \"2020-01-02\"]\n  \n}");
        assertTrue(fault(broken, "a.csv", null).startsWith(broken + ":5: not valid JSON: Unexpected close marker '}'"), fault(broken, "a.csv", null));
        Path wrong = file("n.json", "{\"a.csv\": [[\"2020-01-01\", 5]]}");
        assertEquals(wrong + ":1: $[\"a.csv\"][0][1]: expected a time as a string, found 5", fault(wrong, "a.csv", null));
        Path flat = file("f.json", "{\"a.csv\": {\"start\": \"2020-01-01\"}}");
        assertEquals(flat + ":1: $[\"a.csv\"]: expected a list of [start, end] windows, found {", fault(flat, "a.csv", null));
    }
}
