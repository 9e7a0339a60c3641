package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Task;
import io.rnnkit.config.YamlNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A series through the streaming path (docs/architecture.md, "Data bigger than memory"): the CSV read once, a line at a
 * time, its rows parsed by {@link SeriesLayout.Columns} (the whole-file reader's parsing: dialect, time columns, missing
 * markers), each step written as float64 values to {@code values.f64}, which is memory-mapped when read. The windows are
 * cut from the mapping when a batch asks for them ({@link ForecastWindowing.Rows}), so the heap holds an int per window (its
 * origin), not the series. Float64 keeps every value as the in-memory path holds it: the windows, the normalizer, the
 * scale and the metrics are the same numbers.
 *
 * <p>Gaps are filled or cut as the in-memory reader does (the first step between rows taken as the cadence, checked at the
 * end to be the most common one). Many series of one file ({@code data.series.idColumns}) are read in the same pass, each
 * checked on its own and laid after the one before. A file whose rows are not in the in-memory reader's order (a series
 * that comes back after another, rows out of time order with {@code data.series.order: sort}) is read again through an
 * external merge sort ({@link SeriesSort}). Rows with the same time on consecutive lines are merged as they come, as in memory
 * ({@link TimeColumns#merge}). A categorical column's step holds an id into a dictionary of the sets of categories read
 * (as many as the distinct sets, not the steps), and a missing value is NaN: both become features once the split is
 * known, in a second pass over the mapping ({@link SeriesFeatures}: categories and fills learnt from the training part,
 * as in memory). An anomaly detector and a tagger per step are streamed too ({@link StreamedSeries}).
 * Known-future and static columns are values like the others; calendar features are computed as a step is written.
 */
final class SeriesCache implements ForecastWindowing.Rows {
    static final int VERSION = 4; // 2: a part per series (data.series.idColumns); 3: each step's time (SeriesTimes); 4: categories as ids, repeated times merged
    private static final String MANIFEST = "manifest.properties";
    private static final String VALUES = "values.f64";
    private static final long CHUNK_DOUBLES = 1L << 27; // SequenceCache.mapChunks's 1 GiB mappings, in doubles

    private final Path dir;
    private final boolean built;
    private final int steps;
    private final List<String> columns;
    private final int target;
    /** The series of the file in file order: one, or one per id with {@code data.series.idColumns}, laid end to end. */
    private final List<Part> parts;
    /** The first step of each segment after the first, in order (steps of different segments have a gap cut between them). */
    private final int[] cuts;
    private final List<String> notes;
    private final DoubleBuffer[] chunks;
    /** Per value column, the sets of categories its steps hold, by the id written in its place (empty for a numeric column). */
    private final List<List<java.util.Set<String>>> dictionary;

    /** Why a config's series cannot be streamed, at its YAML path. */
    record Refusal(String path, String why) {
    }

    /**
     * One series of the cache: its id (empty for a file of one series), its first step, the fingerprint the in-memory
     * path computes of it, its cadence (null without a time column or with one step) and what its gaps were.
     *
     * @param gaps gaps found, gaps filled, steps filled, the longest gap's missing steps, gaps cut, rows merged into the
     *             row before (a repeated time)
     * @param sorted rows earlier than the series' row before them in the file, sorted (data.series.order: sort)
     */
    private record Part(List<String> id, int start, String fingerprint, String cadence, long[] gaps, int sorted) {
    }

    private SeriesCache(Path dir, boolean built) {
        this.dir = dir;
        this.built = built;
        Properties manifest = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MANIFEST))) {
            manifest.load(in);
            steps = Integer.parseInt(manifest.getProperty("steps"));
            int width = Integer.parseInt(manifest.getProperty("columns"));
            columns = new ArrayList<>(width);
            for (int c = 0; c < width; c++) {
                columns.add(manifest.getProperty("column." + c));
            }
            target = Integer.parseInt(manifest.getProperty("target"));
            String cut = manifest.getProperty("cuts");
            cuts = cut.isEmpty() ? new int[0] : java.util.Arrays.stream(cut.split(",")).mapToInt(Integer::parseInt).toArray();
            parts = new ArrayList<>();
            for (int k = 0, count = Integer.parseInt(manifest.getProperty("series")); k < count; k++) {
                String key = "series." + k + ".";
                List<String> id = new ArrayList<>();
                for (int j = 0; manifest.containsKey(key + "id." + j); j++) {
                    id.add(manifest.getProperty(key + "id." + j));
                }
                parts.add(new Part(id, Integer.parseInt(manifest.getProperty(key + "start")), manifest.getProperty(key + "fingerprint"),
                        manifest.getProperty(key + "cadence"),
                        java.util.Arrays.stream(manifest.getProperty(key + "gaps").split(",")).mapToLong(Long::parseLong).toArray(),
                        Integer.parseInt(manifest.getProperty(key + "sorted", "0"))));
            }
            notes = new ArrayList<>();
            for (int k = 0; manifest.containsKey("note." + k); k++) {
                notes.add(manifest.getProperty("note." + k));
            }
            dictionary = new ArrayList<>();
            for (int v = 0; v < width; v++) {
                List<java.util.Set<String>> sets = new ArrayList<>();
                for (int id = 0; manifest.containsKey("dictionary." + v + "." + id); id++) {
                    sets.add(new java.util.TreeSet<>(SequenceCache.texts(manifest, "dictionary." + v + "." + id)));
                }
                dictionary.add(sets);
            }
            chunks = java.util.Arrays.stream(SequenceCache.mapChunks(dir.resolve(VALUES))).map(ByteBuffer::asDoubleBuffer).toArray(DoubleBuffer[]::new);
        } catch (IOException | RuntimeException e) {
            throw new DataException("the streaming cache " + dir + " cannot be read (" + e.getMessage() + "); delete the folder to rebuild it", e);
        }
    }

    /**
     * Why the config's series cannot be streamed, or null when it can: what needs the whole series at hand, or more than
     * one step's values at a time.
     */
    static Refusal unsupported(ExperimentConfig config) {
        DataConfig data = config.data();
        Task task = Task.of(config);
        String whole = "the streaming path reads one series of numbers a step at a time; ";
        if (task.forecastStrategy() == null && !(task instanceof Task.StepTagger)) {
            return new Refusal("task", whole + "it streams forecasters, anomaly detectors and taggers, not " + task.getClass().getSimpleName() + " of a series");
        }
        // data.testPath and training.crossValidation of a series, and a detector or tagger of many, are refused by the config
        // rules, streamed or not
        return null;
    }

    /** The cache of the config's series, built now (one pass over the file) unless one with the same key is there. */
    static SeriesCache of(DataConfig data, ConfigLocations where) {
        Path dir = folder(data);
        SeriesCache found = open(dir);
        if (found != null) {
            return found;
        }
        Path file = DataPaths.resolve(data.path());
        SequenceCache.install(dir.getParent(), dir, tmp -> write(file, data, where, tmp));
        return new SeriesCache(dir, true);
    }

    /** The folder of the config's series' cache, whether it is built or not. */
    static Path folder(DataConfig data) {
        return SequenceCache.root(data.streaming()).resolve("series-" + key(data, DataPaths.resolve(data.path())));
    }

    /**
     * The cache built before in {@code dir} (by the driver of a data-parallel run, for its executors to read), or null when
     * there is none there (a folder this machine does not see).
     */
    static SeriesCache open(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST)) ? new SeriesCache(dir, false) : null;
    }

    /** SHA-256 over the cache version, what the reading depends on and the file's identity. */
    private static String key(DataConfig data, Path file) {
        try {
            String settings = String.join("\n", "v" + VERSION, CsvDialect.of(data).describe(), String.valueOf(data.skipLines()),
                    String.valueOf(data.series()), String.valueOf(data.missing()), String.valueOf(data.window().reference()),
                    file.toAbsolutePath().normalize().toString(), SequenceCache.identity(file));
            return SequenceCache.hash(settings).substring(0, 32);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** One pass over the file: each step checked and written as it is read; every fault of the file reported at once. */
    private static void write(Path file, DataConfig data, ConfigLocations where, Path folder) throws IOException {
        Reader reader = new Reader(file, data, where, false);
        try {
            pass(reader, folder, each -> CsvReader.stream(file, CsvDialect.of(data), data.skipLines(), each));
        } catch (SeriesSort.Unsorted e) {
            // rows out of time order (data.series.order: sort) or a series come back after another: read again, in the
            // in-memory reader's order
            try (var written = Files.list(folder)) {
                for (Path f : written.toList()) {
                    Files.delete(f);
                }
            }
            Reader sorted = new Reader(file, data, where, true);
            pass(sorted, folder, each -> SeriesSort.lines(file, data, folder, sorted::key, each));
            reader = sorted;
        }
        Properties manifest = new Properties();
        manifest.setProperty("steps", String.valueOf(reader.written));
        List<Integer> cuts = new ArrayList<>();
        manifest.setProperty("series", String.valueOf(reader.parts.size()));
        for (int k = 0; k < reader.parts.size(); k++) {
            Reader.Series one = reader.parts.get(k);
            String key = "series." + k + ".";
            for (int j = 0; j < one.id.size(); j++) {
                manifest.setProperty(key + "id." + j, one.id.get(j));
            }
            manifest.setProperty(key + "start", String.valueOf(one.start));
            manifest.setProperty(key + "fingerprint", HexFormat.of().formatHex(one.digest.digest()));
            if (one.cadence != null && one.written > 1) {
                manifest.setProperty(key + "cadence", one.cadence.toString());
            }
            manifest.setProperty(key + "gaps", one.gaps + "," + one.filledGaps + "," + one.filledSteps + "," + one.longest + "," + one.cuts.size()
                    + "," + one.merged);
            if (reader.descents.size() > k && reader.descents.get(k) > 0) { // absent: none (a file read in its own order)
                manifest.setProperty(key + "sorted", String.valueOf(reader.descents.get(k)));
            }
            cuts.addAll(one.cuts);
        }
        manifest.setProperty("cuts", String.join(",", cuts.stream().map(String::valueOf).toList()));
        List<String> columns = reader.names;
        manifest.setProperty("columns", String.valueOf(columns.size()));
        for (int c = 0; c < columns.size(); c++) {
            manifest.setProperty("column." + c, columns.get(c));
        }
        manifest.setProperty("target", String.valueOf(columns.indexOf(reader.columns.target())));
        List<String> notes = reader.notes();
        for (int k = 0; k < notes.size(); k++) {
            manifest.setProperty("note." + k, notes.get(k));
        }
        for (int v = 0; v < reader.dictionary.size(); v++) {
            int id = 0;
            for (java.util.Set<String> set : reader.dictionary.get(v).keySet()) { // in the order of their ids
                SequenceCache.putTexts(manifest, "dictionary." + v + "." + id++, set);
            }
        }
        try (OutputStream stream = Files.newOutputStream(folder.resolve(MANIFEST))) {
            manifest.store(stream, "rnnkit streaming cache of a series");
        }
    }

    /** One reading of the file's lines (as {@code lines} gives them) into the cache's values and times. */
    private static void pass(Reader reader, Path folder, Consumer<Consumer<TextRecords.Line>> lines) throws IOException {
        try (SequenceCache.Output out = new SequenceCache.Output(folder.resolve(VALUES), null);
             SeriesTimes.Writer times = new SeriesTimes.Writer(folder)) {
            reader.out = out;
            reader.times = times;
            lines.accept(reader::line);
            reader.finish();
        }
    }

    /** The file's lines as they come: the header, then each row parsed, checked against the last one and written. */
    private static final class Reader {
        private final Path file;
        private final DataConfig data;
        private final ConfigLocations where;
        private final DataFaults faults = new DataFaults();
        private final ByteBuffer big = ByteBuffer.allocate(8);
        private SequenceCache.Output out;
        private SeriesTimes.Writer times;
        private SeriesLayout.Columns columns;
        /** Where the known-future, static and calendar features lie among a step's (none without covariates). */
        private Covariates layout;
        /** A step's features: the value columns, then the calendar's (Covariates.withCalendar computes them in memory). */
        private List<String> names;
        /** Trailing header fields without a name: columns the in-memory reader drops when every row leaves them empty. */
        private int unnamed;
        private long blankRow = -1;
        private int emptyRows;
        private int written;
        /** The series read so far, in file order; the last is being read. */
        private final List<Series> parts = new ArrayList<>();
        /** The ids of the series read so far (each once: the rows of a series come together). */
        private final java.util.Set<List<String>> seen = new java.util.HashSet<>();
        /**
         * Per value column, the id of each set of categories read (in the order first read), written in the column's
         * place: as many as the distinct sets, not the steps. Empty for a numeric column.
         */
        private final List<Map<java.util.Set<String>, Integer>> dictionary = new ArrayList<>();
        /** How rows with one time are merged, per value column. */
        private List<io.rnnkit.config.DuplicatePolicy> merge;
        /** The rows read with the last one's time and series, merged when a row of another time or series comes. */
        private final List<TimeColumns.Row> pending = new ArrayList<>();
        private List<String> pendingId;
        /** The line of the pending rows' first: its time as written is the merged step's, as in memory. */
        private TextRecords.Line pendingLine;

        /** One series as it is read: its time checks, gaps and fingerprint are its own, as the in-memory reader's are. */
        private static final class Series {
            private final List<String> id;
            private final int start;
            /** The fingerprint the in-memory path computes (DatasetLoader.fingerprint of the series as one sequence), a step at a time. */
            private final MessageDigest digest = SequenceCache.sha256();
            private int written;
            private TimeColumns.Row first;
            private TimeColumns.Row last;
            /** The last row read of the series (of a repeated time's rows, the last; {@link #last} is them merged). */
            private TimeColumns.Row lastRead;
            private TimeAxis.Cadence cadence;
            /** How often each step between consecutive rows occurs: the in-memory reader's cadence is the most common. */
            private final Map<TimeAxis.Cadence, Integer> steps = new java.util.HashMap<>();
            /** The first step (of the file's) of each segment after the first. */
            private final List<Integer> cuts = new ArrayList<>();
            private int gaps;
            private int filledGaps;
            private int filledSteps;
            private long longest;
            private int merged;

            Series(List<String> id, int start) {
                this.id = id;
                this.start = start;
            }
        }

        /**
         * Whether the lines come in the in-memory reader's order ({@link SeriesSort}); else they come as the file has them,
         * and a row out of that order stops the reading ({@link SeriesSort.Unsorted}) to read them again sorted.
         */
        private final boolean inOrder;
        /** For the sorted reading: each series' place by first appearance, and its rows earlier than its row before. */
        private final Map<List<String>, Integer> ordinals = new java.util.HashMap<>();
        private final List<TimeAxis.Stamp> lastStamps = new ArrayList<>();
        private final List<Integer> descents = new ArrayList<>();
        /** For the reading in file order: the series of the row before, its time, and the series read so far. */
        private List<String> readId;
        private TimeAxis.Stamp readTime;
        private final java.util.Set<List<String>> readIds = new java.util.HashSet<>();

        Reader(Path file, DataConfig data, ConfigLocations where, boolean inOrder) {
            this.file = file;
            this.data = data;
            this.where = where;
            this.inOrder = inOrder;
        }

        /** Where a data line goes in the in-memory reader's order (the header has been read); its series' descents counted. */
        SeriesSort.Key key(TextRecords.Line line) {
            TextRecords.Line cut = trimmed(line);
            TimeColumns.Row row = cut == null ? null : columns.row(cut, new DataFaults());
            if (row == null) {
                return SeriesSort.Key.of(-1, null, line.number()); // first, to be reported at its line
            }
            List<String> id = columns.id(cut);
            Integer series = ordinals.get(id);
            if (series == null) {
                series = ordinals.size();
                ordinals.put(id, series);
                lastStamps.add(null);
                descents.add(0);
            }
            if (data.series().order() != io.rnnkit.config.TimeOrder.SORT || row.time() == null) {
                return SeriesSort.Key.of(series, null, line.number()); // gathered, in file order
            }
            TimeAxis.Stamp last = lastStamps.get(series);
            if (last != null && row.time().compareTo(last) < 0) {
                descents.set(series, descents.get(series) + 1); // TimeColumns.regularize's count of rows sorted
            }
            lastStamps.set(series, row.time());
            return SeriesSort.Key.of(series, row.time(), line.number());
        }

        /**
         * Stops the reading in the file's order ({@link SeriesSort.Unsorted}) at a row the in-memory reader would move: of a
         * series that comes back after another (gathered), or, with {@code data.series.order: sort}, earlier than its
         * series' row before. Checked before any fault, since the faults of a series out of order (its cadence, its gaps)
         * are not those of the series in order.
         */
        private void ordered(List<String> id, TimeColumns.Row row) {
            if (!id.equals(readId)) {
                if (!readIds.add(id)) {
                    throw new SeriesSort.Unsorted();
                }
                readId = id;
                readTime = null;
            }
            if (data.series().order() == io.rnnkit.config.TimeOrder.SORT && row.time() != null && readTime != null
                    && row.time().compareTo(readTime) < 0) {
                throw new SeriesSort.Unsorted();
            }
            readTime = row.time();
        }

        /** A data line without the header's trailing unnamed columns, or null when it has a value under one. */
        private TextRecords.Line trimmed(TextRecords.Line line) {
            List<String> fields = line.fields();
            if (unnamed > 0 && fields.size() == columns.header().size() + unnamed) {
                if (fields.subList(columns.header().size(), fields.size()).stream().anyMatch(f -> !f.isBlank())) {
                    return null;
                }
                fields = fields.subList(0, columns.header().size());
            }
            return new TextRecords.Line(line.number(), fields);
        }

        private Series current() {
            return parts.get(parts.size() - 1);
        }

        void line(TextRecords.Line line) {
            List<String> fields = line.fields();
            if (columns == null) {
                while (unnamed < fields.size() - 1 && fields.get(fields.size() - 1 - unnamed).isBlank()) {
                    unnamed++;
                }
                columns = SeriesLayout.Columns.of(file, new TextRecords.Line(line.number(), fields.subList(0, fields.size() - unnamed)),
                        data, where, null);
                names = new ArrayList<>(columns.values());
                data.series().calendar().forEach(c -> names.addAll(c.featureNames()));
                layout = covariates(data, names);
                List<String> categorical = data.series().categorical();
                merge = columns.values().stream().map(v -> data.series().duplicates().of(v, categorical.contains(v))).toList();
                columns.values().forEach(v -> dictionary.add(categorical.contains(v) ? new LinkedHashMap<>() : Map.of()));
                return;
            }
            if (fields.stream().allMatch(String::isBlank)) {
                blankRow = blankRow < 0 ? line.number() : blankRow;
                emptyRows++;
                return; // trailing rows of empty fields are ignored; one before a data row is a fault (below)
            }
            if (blankRow >= 0) {
                faults.add(DataException.at(file, blankRow, "a row of empty fields before the data rows end; the streaming path"
                        + " reads such rows only at the end of the file (set data.streaming.enabled: never)"));
                blankRow = -1;
                emptyRows = 0;
            }
            TextRecords.Line cut = trimmed(line);
            if (cut == null) {
                faults.add(DataException.at(file, line.number(), "a value under a column without a name in the header"));
                return;
            }
            TimeColumns.Row row = columns.row(cut, faults);
            if (row == null) {
                return;
            }
            List<String> id = columns.id(cut);
            if (!inOrder) {
                ordered(id, row);
            }
            if (!faults.isEmpty()) {
                return; // once faulty, the file is only read on for its other faults
            }
            if (!pending.isEmpty() && id.equals(pendingId) && row.time() != null && row.time().compareTo(pending.get(0).time()) == 0) {
                pending.add(row); // a repeated time, merged with the rows before it when the next time comes, as in memory
                return;
            }
            step();
            pending.add(row);
            pendingId = id;
            pendingLine = cut;
        }

        /** The rows read with one time (one row, or a repeated time's rows merged as in memory) checked and written as a step. */
        private void step() {
            if (pending.isEmpty() || !faults.isEmpty()) {
                return;
            }
            TimeColumns.Row row = pending.get(0);
            TimeColumns.Row read = pending.get(pending.size() - 1);
            int repeats = pending.size() - 1;
            if (repeats > 0 && merge.contains(io.rnnkit.config.DuplicatePolicy.REFUSE)) {
                faults.add(TimeColumns.repeated(file, pending.get(1), row, data.series(), columns.values(), merge));
            } else if (repeats > 0) {
                row = TimeColumns.merge(List.copyOf(pending), merge);
            }
            pending.clear();
            times.line(pendingLine, columns);
            if (!faults.isEmpty()) {
                return;
            }
            startOrContinue(pendingId);
            if (!constant(current(), row) || !dated(row) || !regular(current(), row)) {
                return;
            }
            current().merged += repeats;
            write(row);
            current().last = row;
            current().lastRead = read;
        }

        /**
         * Starts a series at a row of an id not read before (the first row: the file's one series), or continues the one
         * being read. A series never comes back here: read in the file's order, {@link #ordered} stops the reading at
         * such a row first, and read again sorted, {@link SeriesSort} gathers each series' rows.
         */
        private void startOrContinue(List<String> id) {
            if (!parts.isEmpty() && current().id.equals(id)) {
                return;
            }
            if (!seen.add(id)) {
                throw new IllegalStateException("series " + id + " read apart from its rows before (SeriesSort gathers them)");
            }
            if (!parts.isEmpty()) {
                ended(current());
            }
            Series next = new Series(id, written);
            next.digest.update(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
            parts.add(next);
        }

        /** Checks that the row's static values are the series' first row's, as the in-memory reader checks them. */
        private boolean constant(Series series, TimeColumns.Row row) {
            TimeColumns.Row first = series.first == null ? row : series.first;
            series.first = first;
            for (int f = layout.future(); f < layout.statics(); f++) {
                java.util.Set<String> texts = row.texts().get(f);
                java.util.Set<String> was = first.texts().get(f);
                if (texts != null && !texts.equals(was)) {
                    // as the first of the one-hot features that differ (sorted, as the categories are) is refused in memory
                    java.util.Set<String> either = new java.util.TreeSet<>(texts);
                    either.addAll(was);
                    String category = either.stream().filter(c -> texts.contains(c) != was.contains(c)).findFirst().orElseThrow();
                    double here = texts.contains(category) ? 1 : 0;
                    faults.add(Covariates.notStatic(file, row.line(), columns.values().get(f) + "=" + category, here, 1 - here, first.line()));
                    return false;
                }
                if (Double.compare(row.numbers()[f], first.numbers()[f]) != 0) {
                    faults.add(Covariates.notStatic(file, row.line(), columns.values().get(f), row.numbers()[f], first.numbers()[f], first.line()));
                    return false;
                }
            }
            return true;
        }

        /** For a file of many series, which one a fault is of, as the in-memory reader names it. */
        private String of(Series series) {
            return series.id.isEmpty() ? "" : " (series " + SplitData.Panel.describe(data.series().idColumns(), series.id) + ")";
        }

        /**
         * Checks that the row follows the last one in time order by a whole number of steps of the series' cadence, and
         * writes the steps of a gap between them as the in-memory reader fills them, or starts a new segment where it cuts
         * (TimeColumns.regularize). The cadence inferred is the first step; {@link #ended} checks it is the most common
         * one, as the in-memory reader infers it.
         */
        private boolean regular(Series series, TimeColumns.Row row) {
            TimeColumns.Row last = series.last;
            if (last == null || row.time() == null) {
                if (row.time() != null && data.series().cadence() != null) { // a number of steps for a plain-number time
                    series.cadence = TimeAxis.Cadence.parse(data.series().cadence(), row.time().at() == null);
                }
                return true;
            }
            if ((last.time().at() == null) != (row.time().at() == null)) {
                faults.add(new DataException(file + ": column " + String.join(", ", columns.timeColumns()) + " mixes plain numbers and dates"
                        + of(series)));
                return false;
            }
            if (row.time().compareTo(last.time()) <= 0) { // earlier (a time's rows are merged as they come): order refuse
                TimeColumns.Row before = series.lastRead; // the series' row before, as TimeColumns.regularize names it
                faults.add(DataException.at(file, row.line(), "time " + row.time() + " is earlier than " + before.time()
                        + " on line " + before.line() + "; set data.series.order: sort to sort the rows by time"));
                return false;
            }
            TimeAxis.Cadence step = TimeAxis.Cadence.between(last.time(), row.time());
            series.steps.merge(step, 1, Integer::sum);
            series.cadence = series.cadence == null ? step : series.cadence;
            TimeAxis.Cadence cadence = series.cadence;
            double k = cadence.steps(last.time(), row.time());
            if (Double.isNaN(k)) {
                faults.add(DataException.at(file, row.line(), "time " + row.time() + " is not a whole number of steps of " + cadence + " after "
                        + last.time() + " on line " + last.line() + (data.series().cadence() == null
                        ? " (the first step, taken as the cadence while streaming); declare data.series.cadence" : " (data.series.cadence)")));
                return false;
            }
            long missing = (long) k - 1;
            if (missing > 0) {
                series.gaps++;
                series.longest = Math.max(series.longest, missing);
                if (data.series().gapFill() != io.rnnkit.config.GapFill.NONE && missing <= data.series().maxGap()) {
                    series.filledGaps++;
                    series.filledSteps += (int) missing;
                    for (long j = 1; j <= missing; j++) {
                        write(TimeColumns.filled(last, row, j, missing + 1, cadence, data.series().gapFill()));
                    }
                } else {
                    series.cuts.add(this.written); // the first step of a new segment
                }
            }
            return true;
        }

        /** Calendar features need a date and time on every step, as in memory. */
        private boolean dated(TimeColumns.Row row) {
            if (data.series().calendar().isEmpty() || row.time() != null && row.time().at() != null) {
                return true;
            }
            faults.add(new DataException(file + ": data.series.calendar needs dates and times, but the time column holds plain numbers"));
            return false;
        }

        /** A step's features: its values, then its calendar features. */
        private void write(TimeColumns.Row row) {
            double[] values = row.numbers();
            if (!data.series().categorical().isEmpty()) {
                values = values.clone(); // the row stays the last one read, whose numbers a gap's filled steps interpolate
                for (int v = 0; v < values.length; v++) {
                    if (row.texts().get(v) != null) {
                        Map<java.util.Set<String>, Integer> ids = dictionary.get(v);
                        values[v] = ids.computeIfAbsent(row.texts().get(v), k -> ids.size());
                    }
                }
            }
            if (!data.series().calendar().isEmpty()) {
                double[] calendar = layout.calendarOf(row.time().at());
                values = java.util.Arrays.copyOf(values, values.length + calendar.length);
                System.arraycopy(calendar, 0, values, row.numbers().length, calendar.length);
            }
            Series series = current();
            for (double v : values) {
                series.digest.update(big.clear().putDouble(v).flip());
                out.putDouble(v);
            }
            times.step(row);
            written++;
            if (series.written++ == 0) {
                series.digest.update(big.clear().putDouble(0).flip()); // the in-memory fingerprint's one target, after the first step
            }
        }

        /** A series read to its end: its cadence, when inferred, must be its most common step, as TimeColumns infers it. */
        private void ended(Series series) {
            if (data.series().cadence() == null && !series.steps.isEmpty()) {
                TimeAxis.Cadence common = series.steps.entrySet().stream() // as TimeColumns infers it: the smallest of equally common
                        .max(java.util.Comparator.<Map.Entry<TimeAxis.Cadence, Integer>>comparingInt(Map.Entry::getValue)
                                .thenComparing(e -> -e.getKey().amount())).orElseThrow().getKey();
                if (!common.equals(series.cadence)) {
                    faults.add(new DataException(file + ": the most common step is " + common + ", but the first is " + series.cadence
                            + ", which the streaming path reads as the cadence; declare data.series.cadence: " + common + of(series)));
                }
            }
        }

        void finish() {
            if (columns == null) {
                throw new DataException(file + ": expected a header line and data rows, found 0 line(s)");
            }
            step();
            if (!parts.isEmpty()) {
                ended(current());
            }
            faults.throwIfAny();
            if (written == 0) {
                throw new DataException(file + ": no data row");
            }
        }

        /** What the in-memory reader notes of the file as published. */
        List<String> notes() {
            List<String> notes = new ArrayList<>();
            if (emptyRows > 0) {
                notes.add(file.getFileName() + ": ignored " + emptyRows + " trailing row(s) of empty fields");
            }
            if (unnamed > 0) {
                notes.add(file.getFileName() + ": ignored " + unnamed + " trailing empty column(s)");
            }
            return notes;
        }
    }

    @Override
    public int length() {
        return steps;
    }

    @Override
    public double value(int t, int f) {
        return at(chunks, (long) t * columns.size() + f);
    }

    @Override
    public int segment(int t) {
        int found = java.util.Arrays.binarySearch(cuts, t);
        return found >= 0 ? found + 1 : -found - 1;
    }

    @Override
    public double[][] window(int start, int length) {
        double[][] rows = new double[length][columns.size()];
        for (int t = 0; t < length; t++) {
            for (int f = 0; f < rows[t].length; f++) {
                rows[t][f] = value(start + t, f);
            }
        }
        return rows;
    }

    /** What the cache holds, for the run's note: a series of its steps, or many and their steps in all. */
    String describe() {
        return parts.size() == 1 ? "a series of " + steps + " steps" : parts.size() + " series of " + steps + " steps in all";
    }

    Path directory() {
        return dir;
    }

    /** The features of a step, in the order the cache holds them: the value columns, then the calendar's features. */
    List<String> columns() {
        return List.copyOf(columns);
    }

    /** Each step's time, read from the cache when asked for. */
    SeriesTimes times() {
        return SeriesTimes.of(dir, steps);
    }

    boolean built() {
        return built;
    }

    long bytes() {
        return (long) steps * columns.size() * 8;
    }

    /**
     * The series' windows and split, as {@link SeriesLayout} makes them of a series read whole (the same windows, origins,
     * scale, report and fingerprint), over the mapped steps: the sets are {@link SequenceSet#streamed streamed}. Many
     * series are each windowed and split on their own and pooled by {@link SeriesPanels}, as in memory; they lie in the
     * cache end to end, as the pooled split lays them. Checked as a split read whole is ({@link DataRules}).
     */
    SplitData split(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        List<String> idColumns = data.series().idColumns();
        int[] lengths = java.util.stream.IntStream.range(0, parts.size()).map(this::length).toArray();
        SeriesFeatures features = SeriesFeatures.needed(data) ? new SeriesFeatures(this, values(data), lengths, data, where) : null;
        List<SplitData> windowed = new ArrayList<>(parts.size());
        for (int k = 0; k < parts.size(); k++) {
            try {
                windowed.add(split(k, data, where, features));
            } catch (io.rnnkit.BadInputException e) {
                if (idColumns.isEmpty()) {
                    throw e;
                }
                // the windowing speaks of "the series": say which one, as the in-memory path does
                throw new DataException(DataPaths.resolve(data.path()) + ": series " + SplitData.Panel.describe(idColumns, parts.get(k).id())
                        + ": " + e.getMessage(), e);
            }
        }
        java.util.function.IntToDoubleFunction mapped = features == null ? t -> value(t, target) : t -> features.value(t, features.target());
        SplitData whole = idColumns.isEmpty() ? windowed.get(0) : SeriesPanels.merge(parts.stream().map(Part::id).toList(), lengths, windowed,
                idColumns, mapped);
        SplitData streamed = new SplitData(whole.train().asStreamed(), whole.validation().asStreamed(), whole.test().asStreamed(),
                whole.classes(), whole.featureNames(), whole.fingerprint(), whole.forecast(), null);
        DataRules.check(config, streamed, where);
        return streamed;
    }

    /** Where the known-future and static columns lie among the value columns, as in memory (no categories, no calendar). */
    private static Covariates covariates(DataConfig data, List<String> values) {
        return Covariates.of(data.series(), values, Categories.fit(List.of(), values, List.of(), 0), data.window().horizon());
    }

    /** The steps of series {@code k}. */
    private int length(int k) {
        return (k + 1 < parts.size() ? parts.get(k + 1).start() : steps) - parts.get(k).start();
    }

    /** The value columns, without the calendar's features, which the in-memory reader adds after reading. */
    private List<String> values(DataConfig data) {
        return columns.subList(0, columns.size() - data.series().calendar().stream().mapToInt(c -> c.featureNames().size()).sum());
    }

    /**
     * The windows and split of series {@code k}, over its steps of the mapping: the cache's values, or with {@code features}
     * (categories or missing values) the features made of them after the split.
     */
    private SplitData split(int k, DataConfig data, ConfigLocations where, SeriesFeatures features) {
        Part part = parts.get(k);
        int start = part.start();
        int length = length(k);
        long[] gaps = part.gaps();
        Map<String, Object> read = new LinkedHashMap<>();
        List<String> values = values(data);
        if (!data.series().timeSources().isEmpty()) {
            Map<String, String> mergedBy = new LinkedHashMap<>();
            values.forEach(c -> mergedBy.put(c, YamlNames.of(data.series().duplicates().of(c, data.series().categorical().contains(c)))));
            read.put("time", new TimeColumns.Report(part.cadence(), part.sorted(), (int) gaps[5],
                    mergedBy, (int) gaps[0], (int) gaps[1], (int) gaps[2], (int) gaps[4], gaps[3]).asMap());
        }
        if (!data.series().categorical().isEmpty()) {
            read.put("categories_other", features.other(k));
        }
        Covariates covariates = !data.series().covariates() ? null : features == null ? covariates(data, columns) : features.covariates();
        java.util.function.IntFunction<double[]> row = features == null ? t -> window(t, 1)[0] : features::row;
        java.util.function.IntToDoubleFunction target = features == null ? t -> value(start + t, this.target)
                : t -> features.value(start + t, features.target());
        ForecastWindowing.Rows rows = new ForecastWindowing.Rows() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public double value(int t, int f) {
                return features == null ? SeriesCache.this.value(start + t, f) : features.value(start + t, f);
            }

            @Override
            public int segment(int t) {
                return SeriesCache.this.segment(start + t);
            }

            @Override
            public double[][] window(int from, int steps) {
                if (covariates != null) {
                    return covariates.window(t -> row.apply(start + t), from, steps);
                }
                double[][] rows = new double[steps][];
                for (int t = 0; t < steps; t++) {
                    rows[t] = row.apply(start + from + t);
                }
                return rows;
            }
        };
        if (features == null) {
            ForecastWindowing.Gaps none = new ForecastWindowing.Gaps(null, null, null, new int[3][values.size()], values, notes);
            return ForecastWindowing.split(rows, this.target, data.window(), data.series().seasonalPeriod(), data.split(), where, columns,
                    part.fingerprint(), none, Categories.fit(List.of(), values, List.of(), 0), null, read, covariates, null, target);
        }
        return ForecastWindowing.split(rows, features.target(), data.window(), data.series().seasonalPeriod(), data.split(), where,
                features.names(), features.fingerprint(k), features.gaps(k, start, notes), features.categories(), features.fills(k), read,
                covariates, null, target);
    }

    /** Value {@code at} of a file mapped as {@link SequenceCache#mapChunks} maps it, as doubles. */
    static double at(DoubleBuffer[] chunks, long at) {
        return chunks[(int) (at / CHUNK_DOUBLES)].get((int) (at % CHUNK_DOUBLES));
    }

    int width() {
        return columns.size();
    }

    /** The target's column. */
    int targetColumn() {
        return target;
    }

    /** The sets of categories of value column {@code v}, by the id its steps hold (empty for a numeric column). */
    List<java.util.Set<String>> dictionary(int v) {
        return dictionary.get(v);
    }
}
