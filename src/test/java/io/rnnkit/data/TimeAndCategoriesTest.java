package io.rnnkit.data;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time rules of data.series (order, repeated times, cadence, gaps) and its categorical columns, on crafted files. */
class TimeAndCategoriesTest {
    @TempDir
    Path dir;

    private static DataConfig data(String series) {
        return ConfigLoader.parseWithoutFileChecks("name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: x\n  series: "
                + series + "\n  window: {lookback: 2}\n  split: {train: 0.5, validation: 0, test: 0.5}\n"
                + "training: {earlyStopping: {patience: 0, restoreBest: false}}\nmodel: {layers: [{type: lstm, units: 4}]}\n", "t.yaml").data();
    }

    private SeriesLayout.Series read(String csv, String series) throws IOException {
        return SeriesLayout.read(Files.writeString(dir.resolve("s.csv"), csv), data(series), new ConfigLocations("t.yaml"), null);
    }

    private String fault(String csv, String series) {
        return assertThrows(DataException.class, () -> read(csv, series)).getMessage();
    }

    private static double[] column(SeriesLayout.Series s, int feature) {
        return java.util.Arrays.stream(s.values()).mapToDouble(r -> r[feature]).toArray();
    }

    @Test
    void aTimeFromYearMonthDayHourColumns() throws IOException {
        SeriesLayout.Series s = read("year,month,day,hour,v\n2020,2,28,23,1\n2020,2,29,0,2\n2020,2,29,1,3\n",
                "{timeColumns: [year, month, day, hour], valueColumns: [v]}");
        assertEquals(List.of("2020-02-28 23:00", "2020-02-29 00:00", "2020-02-29 01:00"), s.times());
        assertEquals("1h", ((Map<?, ?>) s.report().get("time")).get("cadence"));
        assertTrue(fault("year,month,day,hour,v\n2021,2,29,0,1\n", "{timeColumns: [year, month, day, hour], valueColumns: [v]}")
                .startsWith(dir.resolve("s.csv") + ":2: column year, month, day, hour: time [2021, 2, 29, 0] is not a valid"));
    }

    @Test
    void aTimeFromDateAndTimeColumnsWithAFormat() throws IOException {
        SeriesLayout.Series s = read("Date;Time;v\n10/03/2004;18.00.00;1\n10/03/2004;19.00.00;2\n".replace(';', ','),
                "{timeColumns: [Date, Time], timeFormat: dd/MM/yyyy HH.mm.ss, valueColumns: [v]}");
        assertEquals(List.of("2004-03-10 18:00", "2004-03-10 19:00"), s.times());
    }

    @Test
    void quartersAndWeeksWithAndWithoutAFormat() throws IOException {
        SeriesLayout.Series quoted = read("Quarter,v\n1998 Q4,1\n1999 Q1,2\n1999 Q2,3\n", "{timeColumn: Quarter, timeFormat: yyyy 'Q'q}");
        assertEquals("1q", ((Map<?, ?>) quoted.report().get("time")).get("cadence"));
        SeriesLayout.Series plain = read("Quarter,v\n1998 Q4,1\n1999 Q1,2\n1999 Q3,3\n", "{timeColumn: Quarter}");
        assertEquals(1, ((Map<?, ?>) plain.report().get("time")).get("gaps"), "1999 Q2 is missing");
        SeriesLayout.Series weeks = read("Week,v\n2020-W52,1\n2020-W53,2\n2021-W01,3\n", "{timeColumn: Week}");
        assertEquals("1w", ((Map<?, ?>) weeks.report().get("time")).get("cadence"));
        assertEquals(0, ((Map<?, ?>) weeks.report().get("time")).get("gaps"), "2020 has 53 ISO weeks");
        assertTrue(fault("Week,v\n2021-W53,1\n", "{timeColumn: Week}").contains("week 53 does not exist in 2021"));
        SeriesLayout.Series patterned = read("Week,v\n2020/52,1\n2020/53,2\n2021/01,3\n", "{timeColumn: Week, timeFormat: YYYY/ww}");
        assertEquals(List.of("2020/52", "2020/53", "2021/01"), patterned.times());
        assertEquals("1w", ((Map<?, ?>) patterned.report().get("time")).get("cadence"));
    }

    @Test
    void aTimeColumnIsCheckedWithoutAFormat() {
        // an hour column that resets every day is no time: it steps back
        assertEquals(dir.resolve("s.csv") + ":4: time 0 is earlier than 23 on line 3; set data.series.order: sort to sort the rows by time",
                fault("hour,v\n22,1\n23,2\n0,3\n", "{timeColumn: hour}"));
        assertTrue(fault("t,v\n2020-01-01,1\nyesterday,2\n", "{timeColumn: t}")
                .startsWith(dir.resolve("s.csv") + ":3: column t: time 'yesterday' is not an ISO-8601 date"));
        assertTrue(fault("t,v\n2020-01-01,1\n2020/01/02,2\n", "{timeColumn: t, timeFormat: yyyy-MM-dd}")
                .endsWith(":3: column t: time '2020/01/02' does not match data.series.timeFormat yyyy-MM-dd"));
    }

    @Test
    void rowsOutOfOrderAreRefusedOrSorted() throws IOException {
        String csv = "t,v\n2020-01-01,1\n2020-01-03,3\n2020-01-02,2\n2020-01-04,4\n";
        assertTrue(fault(csv, "{timeColumn: t}").startsWith(dir.resolve("s.csv") + ":4: time 2020-01-02 00:00 is earlier than 2020-01-03 00:00 on line 3"));
        SeriesLayout.Series s = read(csv, "{timeColumn: t, order: sort}");
        assertArrayEquals(new double[]{1, 2, 3, 4}, column(s, 0));
        assertArrayEquals(new long[]{2, 4, 3, 5}, s.lines());
        assertEquals(1, ((Map<?, ?>) s.report().get("time")).get("sorted_rows"));
    }

    @Test
    void repeatedTimesAreRefusedOrMergedByThePolicy() throws IOException {
        String csv = "t,v,w\n2020-01-01 00:00,1,Rain\n2020-01-01 01:00,2,Rain\n2020-01-01 01:00,4,Mist\n2020-01-01 02:00,5,Rain\n"
                + "2020-01-01 03:00,6,Snow\n";
        String series = "{timeColumn: t, valueColumns: [v, w], categorical: [w], duplicates: ";
        assertTrue(fault(csv, "{timeColumn: t, valueColumns: [v, w], categorical: [w]}")
                .startsWith(dir.resolve("s.csv") + ":4: time 2020-01-01 01:00 repeats line 3"));
        assertArrayEquals(new double[]{1, 2, 5, 6}, column(read(csv, series + "first}"), 0));
        assertArrayEquals(new double[]{1, 4, 5, 6}, column(read(csv, series + "last}"), 0));
        SeriesLayout.Series mean = read(csv, series + "mean}");
        assertArrayEquals(new double[]{1, 3, 5, 6}, column(mean, 0));
        assertEquals(1, ((Map<?, ?>) mean.report().get("time")).get("merged_rows"));
        // the categories of the training part (the first two steps): Mist and Rain, sorted; the merged hour holds both
        assertEquals(List.of("v", "w=Mist", "w=Rain", "w=<other>"), mean.columns());
        assertArrayEquals(new double[]{3, 1, 1, 0}, mean.values()[1]);
    }

    @Test
    void gapsAreFilledUpToMaxGapAndCutBeyond() throws IOException {
        // hours 0-3, then 4, 5 and 6 missing, then 7-10; the value is the hour
        String csv = "t,v\n" + java.util.stream.IntStream.of(0, 1, 2, 3, 7, 8, 9, 10)
                .mapToObj(h -> String.format("2020-01-01 %02d:00,%d%n", h, h)).collect(java.util.stream.Collectors.joining());
        SeriesLayout.Series cut = read(csv, "{timeColumn: t, gapFill: linear, maxGap: 2}");
        assertArrayEquals(new int[]{0, 0, 0, 0, 1, 1, 1, 1}, cut.segments(), "a gap of 3 steps is longer than maxGap 2");
        Map<?, ?> report = (Map<?, ?>) cut.report().get("time");
        assertEquals(List.of(1, 0, 1, 3L), List.of(report.get("gaps"), report.get("filled_gaps"), report.get("cut_gaps"), report.get("longest_gap_steps")));

        SeriesLayout.Series linear = read(csv, "{timeColumn: t, gapFill: linear, maxGap: 3}");
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, column(linear, 0));
        assertEquals(0, java.util.Arrays.stream(linear.segments()).max().orElseThrow());
        assertEquals("2020-01-01 04:00", linear.times().get(4));
        assertEquals(3, ((Map<?, ?>) linear.report().get("time")).get("filled_steps"));
        assertArrayEquals(new double[]{0, 1, 2, 3, 3, 3, 3, 7, 8, 9, 10}, column(read(csv, "{timeColumn: t, gapFill: forward-fill, maxGap: 3}"), 0));

        // windows (lookback 2, horizon 1) are made within segments: the two whose targets follow the gap are not made
        DataConfig config = data("{timeColumn: t}");
        SplitData split = ForecastWindowing.split(cut, config.window(), 1, config.split(), new ConfigLocations("t.yaml"), "f");
        assertEquals(2, split.train().size());
        assertEquals(2, split.test().size());
        assertArrayEquals(new double[][]{{7}, {8}}, split.test().sequence(0));
    }

    /** A series of hours 0-6 and 11-16: hour 1 twice (one NA), hours 2 and 5 NA, hour 4 missing (filled), 7-10 missing (cut). */
    private SplitData timedWithMissing(int lookback) throws IOException {
        String csv = "t,v,w\n2020-01-01 00:00,1,a\n2020-01-01 01:00,2,a\n2020-01-01 01:00,NA,b\n2020-01-01 02:00,NA,a\n"
                + "2020-01-01 03:00,4,a\n2020-01-01 05:00,NA,a\n2020-01-01 06:00,7,a\n"
                + java.util.stream.IntStream.rangeClosed(11, 16).mapToObj(h -> String.format("2020-01-01 %02d:00,%d,a%n", h, h + 1))
                .collect(java.util.stream.Collectors.joining());
        Path file = Files.writeString(dir.resolve("m.csv"), csv);
        return DatasetLoader.load(ConfigLoader.parse("name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: " + file + "\n"
                + "  series: {timeColumn: t, duplicates: mean, gapFill: linear, maxGap: 1, categorical: [w], target: v, seasonalPeriod: 2}\n"
                + "  missing: {markers: [NA], policy: forward-fill}\n  window: {lookback: " + lookback + ", horizon: 1}\n"
                + "  split: {train: 0.5, validation: 0, test: 0.5}\nmodel: {layers: [{type: lstm, units: 4}]}\n"
                + "training: {earlyStopping: {patience: 0, restoreBest: false}}\n", "t.yaml", List.of()));
    }

    @Test
    void missingValuesAndTimeRulesWorkTogether() throws IOException {
        // 13 steps (hour 4 filled), segments hours 0-6 and 11-16; the test part starts at hour 6 (step 6)
        SplitData split = timedWithMissing(2);
        assertEquals(List.of("v", "w=a", "w=b", "w=<other>"), split.featureNames());
        // hour 1: the mean of its observed values only (2, not NaN), and both categories of the hour
        assertArrayEquals(new double[]{2, 1, 1, 0}, split.train().sequence(0)[0]);
        // hour 2 is NA, forward-filled; a gap interpolated next to a missing value (hour 4, from 4 and NA) is missing too
        assertEquals(1, split.train().size(), "targets at hours 2, 4 and 5 are missing: only the window onto hour 3 is left");
        assertEquals(4.0, split.train().target(0)[0]);
        assertArrayEquals(new double[]{4, 4}, new double[]{split.test().sequence(0)[0][0], split.test().sequence(0)[1][0]},
                "hours 4 and 5 forward-filled from hour 3");
        List<Double> targets = java.util.stream.IntStream.range(0, split.test().size()).mapToObj(i -> split.test().target(i)[0]).toList();
        assertEquals(List.of(7.0, 14.0, 15.0, 16.0, 17.0), targets, "no window crosses the cut between hours 6 and 11");
        SeriesReport report = split.forecast().report();
        assertEquals(Map.of("values", Map.of("v", 3), "windowsDropped", 0, "targetsMissing", 3), report.splits().get("train"));
        Map<?, ?> time = (Map<?, ?>) report.read().get("time");
        assertEquals(List.of(1, 1, 1), List.of(time.get("merged_rows"), time.get("filled_steps"), time.get("cut_gaps")));

        // lookback 1 with a season of 2: the window onto hour 12 reads only hour 11, but its seasonal-naive forecast
        // would read hour 6, across the cut, so it is not made either
        SplitData shorter = timedWithMissing(1);
        assertEquals(List.of(7.0, 14.0, 15.0, 16.0, 17.0),
                java.util.stream.IntStream.range(0, shorter.test().size()).mapToObj(i -> shorter.test().target(i)[0]).toList());
    }

    @Test
    void monthEndsAreAMonthApartAndTheirGapsFilledOnMonthEnds() throws IOException {
        SeriesLayout.Series s = read("d,v\n2020-01-31,1\n2020-02-29,2\n2020-04-30,4\n2020-05-31,5\n", "{timeColumn: d, gapFill: linear, maxGap: 1}");
        assertEquals("1mo", ((Map<?, ?>) s.report().get("time")).get("cadence"));
        assertEquals(List.of("2020-01-31", "2020-02-29", "2020-03-31 00:00", "2020-04-30", "2020-05-31"), s.times());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5}, column(s, 0));
    }

    @Test
    void aDeclaredCadenceFindsStepsOffItsGrid() {
        assertTrue(fault("t,v\n2020-01-01 00:00,0\n2020-01-01 01:30,1\n", "{timeColumn: t, cadence: 1h}")
                .startsWith(dir.resolve("s.csv") + ":3: time 2020-01-01 01:30 is not a whole number of steps of 1h"));
    }

    @Test
    void aCategoryUnseenInTrainingIsReadAsOtherAndCounted() throws IOException {
        String csv = "t,v,w\n1,1,Rain\n2,2,Clear\n3,3,Rain\n4,4,Snow\n5,5,Snow\n6,6,Clear\n";
        SeriesLayout.Series s = read(csv, "{timeColumn: t, categorical: [w]}");
        assertEquals(List.of("v", "w=Clear", "w=Rain", "w=<other>"), s.columns());
        assertEquals(Map.of("w", List.of("Clear", "Rain", "<other>")), s.categories().byColumn());
        assertArrayEquals(new double[]{4, 0, 0, 1}, s.values()[3], "Snow, unseen in training, is <other>: a feature of its own");
        assertArrayEquals(new double[]{6, 1, 0, 0}, s.values()[5]);
        assertEquals(Map.of("train", Map.of(), "validation", Map.of(), "test", Map.of("w", 2)), s.report().get("categories_other"),
                "counted per split");
    }

    @Test
    void misconfiguredTimeAndCategoriesAreConfigFaults() {
        ConfigException e = assertThrows(ConfigException.class, () -> data("{timeColumn: t, gapFill: linear}"));
        assertTrue(e.getMessage().contains("data.series.maxGap"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("{timeColumn: t, cadence: hourly}"));
        assertTrue(e.getMessage().contains("data.series.cadence"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("{valueColumns: [v, w], categorical: [x]}"));
        assertTrue(e.getMessage().contains("data.series.categorical[0]"), e.getMessage());
    }

    private static final String REPEATED = "t,v,u,w\n2020-01-01 00:00,1,10,Rain\n2020-01-01 01:00,2,20,Rain\n2020-01-01 01:00,4,40,Mist\n"
            + "2020-01-01 02:00,5,50,Rain\n2020-01-01 03:00,6,60,Snow\n";

    @Test
    void repeatedTimesAreMergedByAPolicyPerColumn() throws IOException {
        SeriesLayout.Series s = read(REPEATED, "{timeColumn: t, categorical: [w], duplicates: {policy: mean, columns: [{column: u, policy: last},"
                + " {column: w, policy: first}]}}");
        assertArrayEquals(new double[]{1, 3, 5, 6}, column(s, 0), "v: the default, mean");
        assertArrayEquals(new double[]{10, 40, 50, 60}, column(s, 1), "u: its own, last");
        // w keeps the first row's Rain only, so Mist never reaches the training part's categories
        assertEquals(List.of("v", "u", "w=Rain", "w=<other>"), s.columns());
        assertArrayEquals(new double[]{3, 40, 1, 0}, s.values()[1]);
        Map<?, ?> time = (Map<?, ?>) s.report().get("time");
        assertEquals(1, time.get("merged_rows"));
        assertEquals(Map.of("v", "mean", "u", "last", "w", "first"), time.get("merged_by"));
        // a categorical column under the default keeps every value (any: multi-hot); a column may still refuse
        SeriesLayout.Series any = read(REPEATED, "{timeColumn: t, categorical: [w], duplicates: first}");
        assertEquals(Map.of("v", "first", "u", "first", "w", "any"), ((Map<?, ?>) any.report().get("time")).get("merged_by"));
        assertTrue(fault(REPEATED, "{timeColumn: t, categorical: [w], duplicates: {policy: mean, columns: [{column: u, policy: refuse}]}}")
                .endsWith(":4: time 2020-01-01 01:00 repeats line 3; column u's duplicate policy is refuse"));
    }

    @Test
    void aPerColumnDuplicatePolicyMustNameAValueColumnOfItsKind() {
        ConfigException e = assertThrows(ConfigException.class, () -> data("{timeColumn: t, valueColumns: [volume, w], categorical: [w],"
                + " duplicates: {policy: mean, columns: [{column: volme, policy: last}]}}"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("data.series.duplicates.columns[0].column: 'volme' is not among data.series.valueColumns"
                + " [volume, w] (did you mean 'volume'?)"), e.getMessage());
        // without valueColumns the header decides, when the file is read
        e = assertThrows(ConfigException.class, () -> read(REPEATED, "{timeColumn: t, duplicates: {policy: mean, columns: [{column: x, policy: last}]}}"));
        assertTrue(e.getMessage().contains("data.series.duplicates.columns[0].column: 'x' is not among the value columns [v, u, w]"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("{timeColumn: t, categorical: [w], duplicates: {policy: mean, columns:"
                + " [{column: w, policy: mean}, {column: v, policy: any}]}}"));
        assertTrue(e.getMessage().contains("data.series.duplicates.columns[0].policy: 'w' is categorical"), e.getMessage());
        assertTrue(e.getMessage().contains("data.series.duplicates.columns[1].policy: any applies to categorical columns"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> data("{timeColumn: t, duplicates: any}"));
        assertTrue(e.getMessage().contains("data.series.duplicates.policy: any merges a categorical column"), e.getMessage());
    }
}
