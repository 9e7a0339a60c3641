package io.rnnkit.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Each step's time of a series in the streaming cache ({@link SeriesCache}), kept on disk beside its values: its date-time
 * (what incident windows are laid on) and its time as text (what an anomaly detector's event table and a tagger's log
 * show), the same as the whole-file reader's {@link SeriesLayout.Series#stamps} and {@link SeriesLayout.Series#times}.
 * Read through lists that look each step up in the mapped index when asked for, so the heap holds no time per step.
 *
 * <p>{@value #INDEX} holds three little-endian longs a step: the date-time's epoch second (as UTC; {@link Long#MIN_VALUE}
 * for none), its nanoseconds ({@code -1} when the step has no time at all) and where its text ends in {@value #TEXT}
 * (UTF-8, the texts end to end).
 */
final class SeriesTimes {
    static final String INDEX = "times.i64";
    static final String TEXT = "times.txt";
    private static final long NONE = Long.MIN_VALUE;
    private static final long CHUNK_LONGS = 1L << 27; // SequenceCache.mapChunks's 1 GiB mappings, in longs

    private final Path dir;
    private final int steps;
    private final java.nio.LongBuffer[] index;

    private SeriesTimes(Path dir, int steps, java.nio.LongBuffer[] index) {
        this.dir = dir;
        this.steps = steps;
        this.index = index;
    }

    /** The times of the {@code steps} steps of the cache in {@code dir}. */
    static SeriesTimes of(Path dir, int steps) {
        try {
            return new SeriesTimes(dir, steps, java.util.Arrays.stream(SequenceCache.mapChunks(dir.resolve(INDEX))).map(ByteBuffer::asLongBuffer)
                    .toArray(java.nio.LongBuffer[]::new));
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
    }

    private static DataException unreadable(Path dir, IOException e) {
        return new DataException("the streaming cache " + dir + " cannot be read (" + e.getMessage() + "); delete the folder to rebuild it", e);
    }

    private long at(long k) {
        return index[(int) (k / CHUNK_LONGS)].get((int) (k % CHUNK_LONGS));
    }

    /** Each step's date-time, null for a step whose time is a plain number or that has none. */
    List<LocalDateTime> stamps() {
        return new Steps<>(t -> {
            long second = at(3L * t);
            return second == NONE ? null : LocalDateTime.ofEpochSecond(second, (int) at(3L * t + 1), ZoneOffset.UTC);
        });
    }

    /** Each step's time as the whole-file reader shows it (as written, or computed for a step filled in a gap), null without one. */
    List<String> texts() {
        return new Steps<>(t -> {
            if (at(3L * t + 1) < 0) {
                return null;
            }
            long from = t == 0 ? 0 : at(3L * (t - 1) + 2);
            ByteBuffer bytes = ByteBuffer.allocate((int) (at(3L * t + 2) - from));
            try (FileChannel in = FileChannel.open(dir.resolve(TEXT), StandardOpenOption.READ)) {
                while (bytes.hasRemaining() && in.read(bytes, from + bytes.position()) >= 0) {
                    // read on: a positional read may return fewer bytes
                }
            } catch (IOException e) {
                throw unreadable(dir, e);
            }
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        });
    }

    /** The steps of the series, each read when asked for. */
    private final class Steps<T> extends AbstractList<T> implements RandomAccess {
        private final java.util.function.IntFunction<T> read;

        Steps(java.util.function.IntFunction<T> read) {
            this.read = read;
        }

        @Override
        public T get(int t) {
            java.util.Objects.checkIndex(t, steps);
            return read.apply(t);
        }

        @Override
        public int size() {
            return steps;
        }
    }

    /** Writes each step's time as the cache's reader writes the step; the text of a step read from a single time column as written. */
    static final class Writer implements AutoCloseable {
        private final Path folder;
        private final OutputStream index;
        private final OutputStream text;
        private final ByteBuffer record = ByteBuffer.allocate(3 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private long textEnd;
        private long steps;
        private long lastLine = -1;
        /** The time column's text on the line being read (null unless the time is read from one column). */
        private String written;

        Writer(Path folder) throws IOException {
            this.folder = folder;
            this.index = new BufferedOutputStream(Files.newOutputStream(folder.resolve(INDEX), StandardOpenOption.CREATE_NEW), 1 << 16);
            this.text = new BufferedOutputStream(Files.newOutputStream(folder.resolve(TEXT), StandardOpenOption.CREATE_NEW), 1 << 16);
        }

        /** A data line is being read: its time as written, which the whole-file reader shows for a time read from one column. */
        void line(TextRecords.Line line, SeriesLayout.Columns columns) {
            List<String> timeColumns = columns.timeColumns();
            written = timeColumns.size() == 1 ? line.fields().get(columns.header().indexOf(timeColumns.get(0))).strip() : null;
        }

        /**
         * A step written: a step filled in a gap (which takes the line of the row before it) shows its computed time, as
         * the whole-file reader's {@code SeriesLayout.encoded} does.
         */
        void step(TimeColumns.Row step) {
            boolean filled = steps > 0 && step.line() == lastLine;
            String shown = step.time() == null ? null : !filled && written != null ? written : step.time().toString();
            LocalDateTime at = step.time() == null ? null : step.time().at();
            if (shown != null) {
                byte[] bytes = shown.getBytes(StandardCharsets.UTF_8);
                write(text, bytes);
                textEnd += bytes.length;
            }
            record.clear().putLong(at == null ? NONE : at.toEpochSecond(ZoneOffset.UTC)).putLong(shown == null ? -1 : at == null ? 0 : at.getNano())
                    .putLong(textEnd);
            write(index, record.array());
            lastLine = step.line();
            steps++;
        }

        private void write(OutputStream out, byte[] bytes) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new io.rnnkit.OutputException(folder, "cannot write the streaming cache: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try (index; text) {
                index.flush();
                text.flush();
            }
        }
    }
}
