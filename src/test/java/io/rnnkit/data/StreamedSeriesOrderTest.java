package io.rnnkit.data;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series whose rows are not in the in-memory reader's order, streamed ({@link SeriesSort}): rows out of time order sorted
 * with {@code data.series.order: sort} and a time that comes back merged, a series that comes back after another gathered,
 * in runs written to disk when the rows outgrow half of {@code maxHeapBytes}; the windows, report and fingerprint are those
 * of the file read whole. With {@code order: refuse}, a row out of order is refused with the in-memory reader's message.
 */
class StreamedSeriesOrderTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path csv, String series, String streaming) throws IOException {
        Path file = dir.resolve("order-" + streaming + ".yaml");
        Files.writeString(file, """
                name: order
                task: {topology: many-to-one, kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t%s}
                  window: {lookback: 4, horizon: 1}
                  streaming: {enabled: %s, cacheDir: %s, maxHeapBytes: 1048576}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(csv, series, streaming, dir.resolve("cache")));
        return ConfigLoader.load(file, List.of());
    }

    private SplitData assertSameAsReadWhole(Path csv, String series) throws IOException {
        SplitData memory = DatasetLoader.loadForTraining(config(csv, series, "never"), n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(config(csv, series, "always"), n -> { });
        assertTrue(streamed.train().streamed());
        SeriesStreamingTest.assertSameWindows(memory, streamed);
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertEquals(memory.forecast().report(), streamed.forecast().report());
        try (var left = Files.list(dir.resolve("cache"))) { // the sorted runs are deleted once merged
            assertTrue(left.flatMap(d -> d.toFile().isDirectory() ? java.util.Arrays.stream(d.toFile().list()).map(d::resolve)
                    : java.util.stream.Stream.of(d)).noneMatch(p -> p.getFileName().toString().startsWith("sort-run")));
        }
        return streamed;
    }

    /** Hourly rows shuffled (seeded), some times written twice far apart, some missing: sorted, merged and filled. */
    @Test
    void rowsOutOfTimeOrderAreSortedAndRepeatedTimesMergedInRunsOnDisk() throws IOException {
        List<String> rows = new ArrayList<>();
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2021, 3, 1, 0, 0);
        for (int t = 0; t < 9000; t++) {
            if (t % 500 == 250) {
                continue; // a gap of one step, filled
            }
            String time = start.plusHours(t).toString().replace('T', ' ');
            rows.add(time + "," + (Math.sin(0.2 * t) + 0.001 * t));
            if (t % 97 == 3) {
                rows.add(time + "," + (t % 5)); // the same time again, merged by the mean
            }
        }
        Collections.shuffle(rows, new java.util.Random(7));
        Path csv = Files.writeString(dir.resolve("shuffled.csv"), "t,y\n" + String.join("\n", rows) + "\n");
        // 9,000 rows of ~330 bytes each held: more than the 1 MB of a run, so several runs are merged
        SplitData streamed = assertSameAsReadWhole(csv, ", order: sort, duplicates: mean, gapFill: linear, maxGap: 1");
        @SuppressWarnings("unchecked")
        Map<String, Object> time = (Map<String, Object>) streamed.forecast().report().read().get("time");
        assertTrue((Integer) time.get("sorted_rows") > 4000, time.toString());
        assertEquals(93, time.get("merged_rows"), time.toString());
        assertEquals(18, time.get("filled_steps"), time.toString());
    }

    /** Three series whose rows are interleaved (a row of each, in turn): each series gathered, as in memory. */
    @Test
    void seriesWhoseRowsAreInterleavedAreGathered() throws IOException {
        StringBuilder text = new StringBuilder("t,site,y\n");
        for (int t = 0; t < 120; t++) {
            for (String site : new String[]{"north", "east", "west"}) {
                text.append(t).append(',').append(site).append(',').append(Math.cos(0.3 * t) * site.length()).append('\n');
            }
        }
        Path csv = Files.writeString(dir.resolve("interleaved.csv"), text);
        SplitData streamed = assertSameAsReadWhole(csv, ", idColumns: [site]");
        assertEquals(List.of(List.of("north"), List.of("east"), List.of("west")), streamed.forecast().panel().ids());
    }

    /** order: refuse (the default): a row earlier than the one before it is refused with the in-memory reader's message. */
    @Test
    void aRowOutOfOrderIsRefusedAsInMemoryWithoutOrderSort() throws IOException {
        Path csv = Files.writeString(dir.resolve("late.csv"), "t,y\n1,1\n2,2\n2,3\n4,4\n3,5\n5,6\n");
        String[] messages = new String[2];
        for (int k = 0; k < 2; k++) {
            LoadedConfig config = config(csv, ", duplicates: first", k == 0 ? "never" : "always");
            messages[k] = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(config, n -> { })).getMessage();
        }
        assertTrue(messages[0].contains(":6:") && messages[0].contains("set data.series.order: sort"), messages[0]);
        assertEquals(messages[0], messages[1]);
    }

    /** NAB's taxi series shuffled and sorted back: the windows of the published file. */
    @Test
    void aPublishedSeriesShuffledIsSortedBackStreamed() throws IOException {
        List<String> lines = Files.readAllLines(TestData.require("nab/data/realKnownCause/nyc_taxi.csv"));
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        Collections.shuffle(rows, new java.util.Random(3));
        Path csv = Files.writeString(dir.resolve("taxi.csv"), lines.get(0).replace("timestamp", "t") + "\n" + String.join("\n", rows) + "\n");
        assertSameAsReadWhole(csv, ", order: sort");
    }
}
