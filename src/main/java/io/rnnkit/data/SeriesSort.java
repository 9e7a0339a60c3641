package io.rnnkit.data;

import io.rnnkit.config.DataConfig;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The data lines of a series file in the order the in-memory reader puts its rows in (SeriesLayout.readAll,
 * TimeColumns.regularize), for the streaming cache ({@link SeriesCache}) when the file's own order is not it: each series'
 * rows gathered in the order the series first appear and, with {@code data.series.order: sort}, sorted by time, stably
 * (rows with one time keep their file order, so the reader merges them as in memory). An external merge sort: runs of as
 * many rows as half of {@code data.streaming.maxHeapBytes} holds are sorted and written to the cache's folder, then merged,
 * so the heap holds a run, not the file. Each line keeps its number in the file, for faults and the times as written.
 */
final class SeriesSort {
    /** Thrown by the first, in-order reading when the file's order is not the in-memory reader's: it is read again, sorted. */
    static final class Unsorted extends RuntimeException {
        Unsorted() {
            super(null, null, false, false);
        }
    }

    /**
     * Where a row goes: its series (by first appearance; -1 for a row that does not parse, which the reader reports), its time
     * (when sorting by time), its line. A date-time is kept as seconds and nanoseconds of UTC, a plain number as itself.
     */
    record Key(int series, boolean dated, long seconds, int nanos, double number, long line) {
        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::series).thenComparing(Key::dated)
                .thenComparingLong(Key::seconds).thenComparingInt(Key::nanos).thenComparingDouble(Key::number).thenComparingLong(Key::line);

        static Key of(int series, TimeAxis.Stamp time, long line) {
            if (time == null) {
                return new Key(series, false, 0, 0, 0, line);
            }
            if (time.at() == null) {
                return new Key(series, false, 0, 0, time.number(), line);
            }
            return new Key(series, true, time.at().toEpochSecond(ZoneOffset.UTC), time.at().getNano(), 0, line);
        }
    }

    private record Entry(Key key, TextRecords.Line line) {
    }

    /** A run's next row, and the run. */
    private record Head(Entry entry, DataInputStream in) {
    }

    private SeriesSort() {
    }

    /**
     * The file's lines to {@code each}: the header, the data rows in order (by {@code keyOf}, given a data line), then the
     * rows of empty fields at its end (a data row after one is refused at the blank row's line, as the in-order reader does).
     *
     * @param scratch a folder for the sorted runs, which are deleted once merged
     */
    static void lines(Path file, DataConfig data, Path scratch, java.util.function.Function<TextRecords.Line, Key> keyOf,
                      Consumer<TextRecords.Line> each) {
        long budget = Math.max(1 << 20, data.streaming().maxHeapBytes() / 2);
        List<Path> runs = new ArrayList<>();
        List<Entry> run = new ArrayList<>();
        List<TextRecords.Line> blank = new ArrayList<>();
        long[] held = {0};
        boolean[] header = {true};
        CsvReader.stream(file, CsvDialect.of(data), data.skipLines(), line -> {
            if (header[0]) {
                header[0] = false;
                each.accept(line);
                return;
            }
            if (line.fields().stream().allMatch(String::isBlank)) {
                blank.add(line);
                return;
            }
            if (!blank.isEmpty()) {
                throw DataException.at(file, blank.get(0).number(), "a row of empty fields before the data rows end; the streaming path"
                        + " reads such rows only at the end of the file (set data.streaming.enabled: never)");
            }
            run.add(new Entry(keyOf.apply(line), line));
            held[0] += 96 + line.fields().stream().mapToLong(f -> 48 + 2L * f.length()).sum(); // the line, its fields and key
            if (held[0] > budget) {
                runs.add(written(run, scratch, runs.size()));
                run.clear();
                held[0] = 0;
            }
        });
        run.sort(Comparator.comparing(Entry::key, Key.ORDER));
        if (runs.isEmpty()) {
            run.forEach(e -> each.accept(e.line()));
        } else {
            runs.add(written(run, scratch, runs.size()));
            run.clear();
            merged(runs, each);
        }
        blank.forEach(each);
    }

    /** A run sorted and written to the scratch folder. */
    private static Path written(List<Entry> run, Path scratch, int index) {
        run.sort(Comparator.comparing(Entry::key, Key.ORDER));
        Path path = scratch.resolve("sort-run-" + index);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
            for (Entry e : run) {
                Key k = e.key();
                out.writeInt(k.series());
                out.writeBoolean(k.dated());
                out.writeLong(k.seconds());
                out.writeInt(k.nanos());
                out.writeDouble(k.number());
                out.writeLong(k.line());
                out.writeInt(e.line().fields().size());
                for (String field : e.line().fields()) {
                    byte[] bytes = field.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(path, "cannot write the streaming cache's sorted rows: " + e.getMessage(), e);
        }
        return path;
    }

    /** The runs merged, a row of each held at a time; each run deleted once read. */
    private static void merged(List<Path> runs, Consumer<TextRecords.Line> each) {
        List<DataInputStream> inputs = new ArrayList<>();
        PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(h -> h.entry().key(), Key.ORDER));
        try {
            for (Path run : runs) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
                inputs.add(in);
                Entry first = read(in);
                if (first != null) {
                    heads.add(new Head(first, in));
                }
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                each.accept(head.entry().line());
                Entry next = read(head.in());
                if (next != null) {
                    heads.add(new Head(next, head.in()));
                }
            }
        } catch (IOException e) { // as written() reports its faults, not a bare exception out of the cache's build
            throw new io.rnnkit.OutputException(runs.get(0).getParent(), "cannot read back the streaming cache's sorted rows: " + e.getMessage(), e);
        } finally {
            for (DataInputStream in : inputs) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read to its end or abandoned on a fault: the folder is deleted either way
                }
            }
            for (Path run : runs) {
                try {
                    Files.deleteIfExists(run);
                } catch (IOException ignored) {
                    // left in the cache's folder, which is never read for it
                }
            }
        }
    }

    /** The next row of a run, or null at its end. */
    private static Entry read(DataInputStream in) throws IOException {
        int series;
        try {
            series = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        Key key = new Key(series, in.readBoolean(), in.readLong(), in.readInt(), in.readDouble(), in.readLong());
        List<String> fields = new ArrayList<>();
        for (int f = 0, n = in.readInt(); f < n; f++) {
            fields.add(new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Entry(key, new TextRecords.Line(key.line(), fields));
    }
}
