package io.rnnkit.data;

import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.LabelSource;
import io.rnnkit.config.StreamingConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.RandomAccess;

/**
 * The binary cache of the streaming path (docs/architecture.md, "Data bigger than memory"): a rows file read once, line by
 * line, into {@code values.f32} (every sequence's {@code [T][features]} values as little-endian float32, end to end),
 * {@code index.i64} (where each sequence starts in it, then the end), {@code labels.i32} (per sequence the index of its
 * label text, classification) or {@code targets.f64} (regression targets, kept in double so metrics in the data's units are
 * those of the in-memory path) and {@code manifest.properties}. With labels per step (many-to-many, the manifest's
 * {@code perStep}) the label files hold one label a step, end to end, so sequence i's labels start at its first value's
 * index divided by the features. A categorical feature ({@code data.categorical}) is cached as the id of its text in the
 * feature's dictionary, which the manifest lists ({@link StreamedCategories} makes it one-hot). It is written in a folder of its own and renamed into
 * place whole, so a write that is killed leaves only a {@code .tmp-} folder that is never read (and is removed by the
 * next build once its process is gone). The folder's name is a key over what the cache is made from: each data file's
 * path, size, modification time and the CRC of its first and last 64 KiB, and the data settings that change what is
 * read, so a changed file or config builds a new cache. The files are read memory-mapped: the heap holds only the
 * sequences asked for.
 */
public final class SequenceCache {
    /** Bumped when the files change meaning, so an old cache is never read as a new one. */
    static final int VERSION = 3; // 3: labels per step (perStep)
    private static final String MANIFEST = "manifest.properties";
    private static final String TOKENS = "tokens.txt";
    private static final long CHUNK_FLOATS = 1L << 28; // mapChunks's 1 GiB mappings, in floats
    private static final long CHUNK_BYTES = 1L << 30; // mapChunks: a MappedByteBuffer holds at most 2 GiB (a multiple of 4 and 8 bytes)

    private final Path dir;
    private final int count;
    private final int features;
    private final int targetWidth;
    private final int minLength;
    private final int maxLength;
    private final List<String> labelTexts;
    private final List<String> labelOrigins;
    private final List<String> declared;
    /** Per categorical feature (by index), the texts its cached ids stand for ({@code data.categorical}); empty without. */
    private final Map<Integer, List<String>> categorical;
    private final boolean labelled;
    private final boolean perStep;
    private final String fingerprint;
    private final Path source;
    private final boolean built;
    private final FloatBuffer[] values;
    private final LongBuffer index;
    /** labels.i32 (or null), in mappings of {@link #CHUNK_BYTES}: with a label a step it is as long as the values. */
    private final ByteBuffer[] labels;
    private final ByteBuffer[] targets;

    private SequenceCache(Path dir, boolean built) {
        this.dir = dir;
        this.built = built;
        Properties manifest = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
            manifest.load(in);
            count = Integer.parseInt(manifest.getProperty("count"));
            features = Integer.parseInt(manifest.getProperty("features"));
            targetWidth = Integer.parseInt(manifest.getProperty("targetWidth"));
            minLength = Integer.parseInt(manifest.getProperty("minLength"));
            maxLength = Integer.parseInt(manifest.getProperty("maxLength"));
            if (!String.valueOf(VERSION).equals(manifest.getProperty("version"))) {
                throw new IOException("written by another version of rnnkit (cache version " + manifest.getProperty("version")
                        + ", this one reads " + VERSION + ")");
            }
            source = Path.of(manifest.getProperty("source"));
            perStep = Boolean.parseBoolean(manifest.getProperty("perStep"));
            fingerprint = manifest.getProperty("fingerprint");
            labelled = Boolean.parseBoolean(manifest.getProperty("labelled"));
            labelTexts = new ArrayList<>();
            labelOrigins = new ArrayList<>();
            int labelCount = Integer.parseInt(manifest.getProperty("labels"));
            for (int k = 0; k < labelCount; k++) {
                labelTexts.add(manifest.getProperty("label." + k));
                labelOrigins.add(manifest.getProperty("labelOrigin." + k));
            }
            declared = texts(manifest, "declared");
            categorical = new java.util.TreeMap<>();
            String columns = manifest.getProperty("categorical", "");
            for (String f : columns.isEmpty() ? new String[0] : columns.split(",")) {
                categorical.put(Integer.parseInt(f), texts(manifest, "categorical." + f));
            }
            values = java.util.Arrays.stream(mapChunks(dir.resolve("values.f32"))).map(ByteBuffer::asFloatBuffer).toArray(FloatBuffer[]::new);
            index = map(dir.resolve("index.i64")).asLongBuffer();
            labels = targetWidth == 0 ? mapChunks(dir.resolve("labels.i32")) : null;
            targets = targetWidth == 0 ? null : mapChunks(dir.resolve("targets.f64"));
        } catch (IOException | RuntimeException e) {
            throw new DataException("the streaming cache " + dir + " cannot be read (" + e.getMessage() + "); delete the folder to rebuild it", e);
        }
    }

    /**
     * The cache of the config's data, built now (one pass over the file) unless one with the same key is there.
     *
     * @param regression whether labels are regression targets (else class labels, kept as text)
     */
    public static SequenceCache of(DataConfig data, boolean regression) {
        return of(data, regression, false, false, data.path());
    }

    /**
     * The cache of an experiment's data: sequence-to-sequence pairs ({@link StreamedPairs}) or sequences with their labels,
     * a label per step when its task answers at every step (not text: its own).
     */
    public static SequenceCache of(io.rnnkit.config.ExperimentConfig config) {
        // text pooled from several files: the first file's (StreamedPooledText finds the others' by their keys)
        return of(config, config.data().paths().isEmpty() ? config.data().path() : config.data().paths().get(0));
    }

    /** The cache of one of the experiment's files: data.path, or data.testPath (read alike, cached on its own). */
    static SequenceCache of(io.rnnkit.config.ExperimentConfig config, String path) {
        io.rnnkit.config.Task task = io.rnnkit.config.Task.of(config);
        boolean pairs = task instanceof io.rnnkit.config.Task.Translator;
        boolean perStep = task.answersPerStep() && !pairs && config.data().format() != io.rnnkit.config.DataFormat.TEXT;
        return of(config.data(), config.task().kind().regresses(), perStep, pairs, path);
    }

    /** @param perStep whether labels are read per step (sequence files' label rows, many-to-many) */
    private static SequenceCache of(DataConfig data, boolean regression, boolean perStep, boolean pairs, String path) {
        Path file = DataPaths.resolve(path);
        Path root = root(data.streaming());
        Path dir = root.resolve(key(data, regression, perStep, file) + (pairs ? "-pairs" : ""));
        if (Files.isRegularFile(dir.resolve(MANIFEST))) {
            return new SequenceCache(dir, false);
        }
        build(file, data, regression, perStep, pairs, root, dir);
        return new SequenceCache(dir, true);
    }

    /**
     * The cache built before in {@code dir} (by the driver of a data-parallel run, for its executors to read), or null when
     * there is none there (a folder this machine does not see).
     */
    static SequenceCache open(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST)) ? new SequenceCache(dir, false) : null;
    }

    /** Where caches go: data.streaming.cacheDir, else $RNNKIT_CACHE, else ~/.cache/rnnkit/streaming. */
    static Path root(StreamingConfig streaming) {
        if (streaming.cacheDir() != null) {
            return DataPaths.resolve(streaming.cacheDir());
        }
        String env = System.getenv("RNNKIT_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "rnnkit", "streaming");
    }

    /** A list of texts in a manifest, as the caches keep them: its size at {@code key}, text j at {@code key.j}. */
    static void putTexts(Properties manifest, String key, java.util.Collection<String> texts) {
        manifest.setProperty(key, String.valueOf(texts.size()));
        int j = 0;
        for (String text : texts) {
            manifest.setProperty(key + "." + j++, text);
        }
    }

    /** The texts {@link #putTexts} wrote at {@code key}, in order. */
    static List<String> texts(Properties manifest, String key) {
        int n = Integer.parseInt(manifest.getProperty(key));
        List<String> texts = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            texts.add(manifest.getProperty(key + "." + j));
        }
        return texts;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a text, in hex (the fingerprint of a training file's cache and its test file's together). */
    static String hash(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The folder name: SHA-256 over the cache version, the reading settings and the file's identity. */
    static String key(DataConfig data, boolean regression, boolean perStep, Path file) {
        try {
            String settings = String.join("\n", "v" + VERSION, String.valueOf(data.format()), String.valueOf(data.delimiter()),
                    String.valueOf(data.separator()), String.valueOf(data.decimal()), String.valueOf(data.skipLines()),
                    String.valueOf(data.features()), String.valueOf(data.labels()), String.valueOf(regression),
                    "perStep " + perStep,
                    // what text reading depends on (not sequenceLength or minCount: they apply when the cache is read)
                    data.text().unit() + " " + data.text().lowercase() + " " + data.text().labelSeparator() + " " + data.text().mode(),
                    file.toAbsolutePath().normalize().toString(), identity(file));
            if (data.segments() > 0 || !data.categorical().isEmpty()) { // only then: caches built without them keep their key
                settings += "\nsegments " + data.segments() + " categorical " + data.categorical();
            }
            return hash(settings).substring(0, 32);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A file's size, modification time and {@link #ends}; for a folder (sequence files), every file's path in it, size and
     * modification time.
     */
    static String identity(Path file) throws IOException {
        if (!Files.isDirectory(file)) {
            return Files.size(file) + "\n" + Files.getLastModifiedTime(file).toMillis() + "\n" + ends(file);
        }
        StringBuilder out = new StringBuilder();
        try (var walk = Files.walk(file)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.append(file.relativize(p)).append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
        }
        return out.toString();
    }

    /** The bytes of the data: a file's size, or the sum of a folder's files (sequence files). */
    public static long dataBytes(Path file) throws IOException {
        if (!Files.isDirectory(file)) {
            return Files.size(file);
        }
        try (var walk = Files.walk(file)) {
            long sum = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    /** CRC-32C of the first and last 64 KiB: an edit that keeps size and time still changes the key there. */
    private static String ends(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            for (long at : new long[]{0, Math.max(0, size - buffer.capacity())}) {
                buffer.clear();
                while (buffer.hasRemaining() && channel.read(buffer, at + buffer.position()) > 0) {
                    // read until full or end of file
                }
                buffer.flip();
                crc.update(buffer);
            }
        }
        return Long.toHexString(crc.getValue());
    }

    private static void build(Path file, DataConfig data, boolean regression, boolean perStep, boolean pairs, Path root, Path dir) {
        install(root, dir, tmp -> {
            try (Writer writer = new Writer(tmp, regression, perStep, file)) {
                if (pairs) {
                    writePairs(file, data, writer);
                } else {
                    write(file, data, writer);
                }
            }
        });
    }

    /** Writes a cache's files into a folder, which {@link #install} renames into place when they are all there. */
    interface Build {
        void into(Path folder) throws IOException;
    }

    /**
     * A cache folder built under a temporary name and renamed into place atomically (a reader never sees half a cache;
     * of two processes building the same, the second's copy is dropped); shared with {@link SeriesCache}.
     */
    static void install(Path root, Path dir, Build build) {
        Path tmp = root.resolve(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(root);
            removeAbandoned(root, dir.getFileName().toString());
            Files.createDirectory(tmp);
            build.into(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(tmp); // another process built the same cache first: its copy is as good
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " into place atomically", e);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new io.rnnkit.OutputException(tmp, "cannot write the streaming cache: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** One pass over the data in its layout, each sequence written as it is read. */
    private static void write(Path file, DataConfig data, Writer writer) throws IOException {
        // a categorical feature's values are cached as ids into its dictionary of the texts seen (x1 is feature 0)
        int[] categorical = data.categorical().stream().mapToInt(name -> Integer.parseInt(name.substring(1)) - 1).toArray();
        writer.categorical(categorical);
        switch (data.format()) {
            case ROWS -> {
                Rows rows = new Rows(writer, file, data);
                CsvReader.stream(file, CsvDialect.of(data), data.skipLines(), rows::row);
                rows.requireBlocks();
                rows.faults.throwIfAny();
                writer.finish("no data rows" + (data.skipLines() > 0 ? " after skipping " + data.skipLines() + " lines" : ""));
            }
            case SEQUENCE_FILES -> {
                SequenceFilesLayout.each(file, data.skipLines(), DatasetLoader.delimiterChar(data), writer.perStep, data.categorical(),
                        (sequence, steps, label, origin) -> {
                            for (int t = 0; steps != null && t < sequence.length; t++) {
                                for (int f : categorical) {
                                    sequence[t][f] = writer.category(f, steps.get(t).texts().get(f).iterator().next(), origin.at(0));
                                }
                            }
                            // data.segments averages the values as read (doubles), as the in-memory path does, before float32
                            writer.sequence(PiecewiseAggregate.of(sequence, data.segments(), origin.at(0)), label, origin::at);
                        });
                writer.finish("no sequences");
            }
            case TEXT -> {
                // each line's tokens as ids in order of first appearance (exact in float32 below 2^24): the vocabulary
                // is fitted on the training split once it is drawn (StreamedSplit), and ids are mapped onto it when read
                Map<String, Integer> ids = new LinkedHashMap<>();
                // generation from one stream of text (TextLayout): a line break between lines, and after the last for
                // characters, written as a token, so the values file is the token stream itself (StreamedText)
                boolean stream = data.text().labelSeparator() == null && data.text().mode() == io.rnnkit.config.TextMode.STREAM;
                long[] lines = {0};
                TextLayout.eachLine(file, data.text(), line -> {
                    int steps = line.tokens().size();
                    if (stream && lines[0]++ > 0) {
                        writer.value(tokenId(ids, TextLayout.BOUNDARY, file, line.line()));
                        steps++;
                    }
                    for (String token : line.tokens()) {
                        writer.value(tokenId(ids, token, file, line.line()));
                    }
                    // a generator's lines have no class: one empty label for all
                    writer.end(steps, 1, new String[]{line.label() == null ? "" : line.label()}, file + ":" + line.line());
                });
                if (stream && lines[0] > 0 && data.text().unit() == io.rnnkit.config.TextUnit.CHARACTER) {
                    writer.value(tokenId(ids, TextLayout.BOUNDARY, file, lines[0]));
                    writer.end(1, 1, new String[]{""}, file + ":" + lines[0]);
                }
                writer.tokens(ids.keySet());
                writer.finish("no text");
            }
            case TS, ARFF -> {
                ArchiveFile.Scan scan = ArchiveFile.scan(data.format(), file,
                        (sequence, label, from, line) -> writer.sequence(PiecewiseAggregate.of(sequence, data.segments(), from + ":" + line),
                                RawSequences.single(label == null ? "" : label), t -> from + ":" + line));
                ArchiveFile.requireCases(file, scan, writer.count);
                writer.header(scan.classes(), scan.labelled());
                writer.finish("no cases");
            }
            default -> throw new IllegalStateException(data.format() + " data is not streamed (StreamedSplit.unsupported)");
        }
    }

    /** Marks the end of a pair's source among its token ids ({@link #writePairs}). */
    static final float PAIR_SEPARATOR = -1;

    /**
     * Sequence-to-sequence pairs, one a line ({@link PairsLayout#eachPair}): each pair's source token ids, {@link #PAIR_SEPARATOR},
     * then its target token ids, source and target tokens sharing one id table; the vocabularies are fitted on the training
     * split once it is drawn ({@link StreamedPairs}).
     */
    private static void writePairs(Path file, DataConfig data, Writer writer) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        PairsLayout.eachPair(file, data.text(), (pair, line) -> {
            for (String token : pair.source()) {
                writer.value(tokenId(ids, token, file, line));
            }
            writer.value(PAIR_SEPARATOR);
            for (String token : pair.target()) {
                writer.value(tokenId(ids, token, file, line));
            }
            writer.end(pair.source().size() + 1 + pair.target().size(), 1, new String[]{""}, pair.origin());
        });
        writer.tokens(ids.keySet());
        writer.finish("no pairs (every line must be a source, a tab and a target)");
    }

    /** A token's id in order of first appearance, given one now when it is new. */
    private static int tokenId(Map<String, Integer> ids, String token, Path file, long line) {
        Integer id = ids.get(token);
        if (id == null) {
            if (ids.size() >= 1 << 24) {
                throw DataException.at(file, line, "more than 2^24 distinct tokens");
            }
            id = ids.size();
            ids.put(token, id);
        }
        return id;
    }

    /** Removes this key's unfinished folders whose writing process has ended (killed mid-write). */
    private static void removeAbandoned(Path root, String key) throws IOException {
        try (var entries = Files.list(root)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(key + ".tmp-")).toList()) {
                String[] parts = p.getFileName().toString().substring(key.length() + 5).split("-");
                boolean alive = ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
                if (!alive || parts[0].equals(String.valueOf(ProcessHandle.current().pid()))) {
                    deleteQuietly(p);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // a folder that cannot be removed is never read: only the renamed folder is
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Writes the cache's files sequentially as sequences are read, whatever the layout: {@link #value} for each of a
     * sequence's values ({@code [T][features]} in order), then {@link #end} with its label. Faults in labels and widths are
     * collected (up to DataFaults' limit).
     */
    private static final class Writer implements AutoCloseable {
        private final Path dir;
        private final Path source;
        private final boolean regression;
        private final boolean perStep;
        private final Output values;
        private final Output index;
        private final Output labels;
        private final MessageDigest digest = sha256();
        private final DataFaults faults = new DataFaults();
        private final Map<String, Integer> labelIds = new LinkedHashMap<>();
        private final List<String> labelOrigins = new ArrayList<>();
        /** Per categorical feature (by index), its texts in order of first appearance: their ids. */
        private final Map<Integer, Map<String, Integer>> categories = new java.util.TreeMap<>();
        private List<String> declared = List.of();
        private boolean labelled = true;
        private int features = -1;
        private String firstOrigin;
        private long written;
        private int count;
        private int targetWidth = -1;
        private int minLength = Integer.MAX_VALUE;
        private int maxLength;

        Writer(Path dir, boolean regression, boolean perStep, Path source) throws IOException {
            this.dir = dir;
            this.source = source;
            this.regression = regression;
            this.perStep = perStep;
            values = new Output(dir.resolve("values.f32"), digest);
            index = new Output(dir.resolve("index.i64"), null);
            labels = new Output(dir.resolve(regression ? "targets.f64" : "labels.i32"), digest);
            index.putLong(0);
        }

        void value(float v) {
            values.putFloat(v);
        }

        /** The features (by index) whose values are texts, each cached as its id in the feature's dictionary. */
        void categorical(int[] features) {
            for (int f : features) {
                categories.put(f, new LinkedHashMap<>());
            }
        }

        boolean isCategorical(int feature) {
            return categories.containsKey(feature);
        }

        /** A categorical feature's text as its id (exact in float32 below 2^24), given one now when it is new. */
        float category(int feature, String text, String origin) {
            Map<String, Integer> ids = categories.get(feature);
            Integer id = ids.get(text);
            if (id == null) {
                if (ids.size() >= 1 << 24) {
                    throw new DataException(origin + ": more than 2^24 distinct values of the categorical feature x" + (feature + 1));
                }
                id = ids.size();
                ids.put(text, id);
            }
            return id;
        }

        /** A whole sequence and its label rows (one, or with {@link #perStep} one a step), each row's origin by step. */
        void sequence(double[][] sequence, String[][] label, java.util.function.IntFunction<String> origin) {
            for (double[] step : sequence) {
                for (double v : step) {
                    values.putFloat((float) v);
                }
            }
            end(sequence.length, sequence.length == 0 ? 0 : sequence[0].length, label, origin);
        }

        /**
         * Ends the sequence whose values were just written, with a single label.
         *
         * @param label  its label: one class text, or the regression target's values as text
         * @param origin where the label is, {@code file:line}, for messages
         */
        void end(int steps, int width, String[] label, String origin) {
            end(steps, width, new String[][]{label}, t -> origin);
        }

        /** Ends the sequence whose values were just written, with its label rows: one, or with {@link #perStep} one a step. */
        void end(int steps, int width, String[][] rows, java.util.function.IntFunction<String> origin) {
            if (features < 0) {
                features = width;
                firstOrigin = origin.apply(0);
            } else if (width != features) {
                faults.add(new DataException(origin.apply(0) + ": " + width + " features per step, but the first sequence (" + firstOrigin + ") has " + features));
            }
            if (rows.length != (perStep ? steps : 1)) { // the layouts check this where they read (SequenceFilesLayout)
                throw new IllegalStateException(rows.length + " label rows for " + steps + " steps at " + origin.apply(0));
            }
            for (int t = 0; t < rows.length; t++) {
                label(rows[t], origin.apply(t));
            }
            written += (long) steps * width;
            index.putLong(written);
            minLength = Math.min(minLength, steps);
            maxLength = Math.max(maxLength, steps);
            count++;
        }

        /** One label row: a class text, or a regression target's values as text. */
        private void label(String[] label, String origin) {
            if (regression) {
                if (targetWidth < 0) {
                    targetWidth = label.length;
                } else if (label.length != targetWidth) {
                    faults.add(new DataException(origin + ": " + label.length + " target values, the first label has " + targetWidth));
                }
                for (int k = 0; k < targetWidth; k++) {
                    double target = 0;
                    try {
                        target = k < label.length ? DatasetLoader.target(origin, label[k]) : 0;
                    } catch (DataException e) {
                        faults.add(e);
                    }
                    labels.putDouble(target);
                }
                return;
            }
            if (label.length != 1) { // as the in-memory path (ClassLabels.indices)
                faults.add(new DataException(origin + ": expected one class label, found " + label.length + " values"));
            }
            String text = ClassLabels.canonical(label[0]);
            Integer id = labelIds.get(text);
            if (id == null) {
                if (labelIds.size() >= 100_000) {
                    throw new DataException(origin + ": more than 100000 distinct labels: is task.kind regression?");
                }
                id = labelIds.size();
                labelIds.put(text, id);
                labelOrigins.add(origin);
            }
            labels.putInt(id);
        }

        /** Text's distinct tokens, in id order: written to {@code tokens.txt}, one a line, escaped. */
        void tokens(java.util.Collection<String> tokens) throws IOException {
            try (var out = Files.newBufferedWriter(dir.resolve(TOKENS), StandardCharsets.UTF_8)) {
                for (String token : tokens) {
                    String escaped = token.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
                    digest.update((escaped + "\n").getBytes(StandardCharsets.UTF_8));
                    out.write(escaped);
                    out.write('\n');
                }
            }
        }

        /** The classes an archive file's header declares, and whether its cases are labelled. */
        void header(List<String> classes, boolean labelled) {
            this.declared = List.copyOf(classes);
            this.labelled = labelled;
        }

        void finish(String nothing) throws IOException {
            faults.throwIfAny();
            if (count == 0) {
                throw new DataException(source + ": " + nothing);
            }
            values.close();
            index.close();
            labels.close();
            Properties manifest = new Properties();
            manifest.setProperty("version", String.valueOf(VERSION));
            manifest.setProperty("source", source.toAbsolutePath().toString());
            manifest.setProperty("count", String.valueOf(count));
            manifest.setProperty("features", String.valueOf(features));
            manifest.setProperty("targetWidth", String.valueOf(regression ? targetWidth : 0));
            manifest.setProperty("minLength", String.valueOf(minLength));
            manifest.setProperty("maxLength", String.valueOf(maxLength));
            manifest.setProperty("labelled", String.valueOf(labelled));
            manifest.setProperty("perStep", String.valueOf(perStep));
            manifest.setProperty("labels", String.valueOf(labelIds.size()));
            digest.update(String.join("\n", labelIds.keySet()).getBytes(StandardCharsets.UTF_8));
            manifest.setProperty("categorical", categories.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
            categories.forEach((f, ids) -> {
                digest.update(("\n" + f + "\n" + String.join("\n", ids.keySet())).getBytes(StandardCharsets.UTF_8));
                putTexts(manifest, "categorical." + f, ids.keySet()); // in id order
            });
            manifest.setProperty("fingerprint", HexFormat.of().formatHex(digest.digest()));
            int k = 0;
            for (String text : labelIds.keySet()) {
                manifest.setProperty("label." + k, text);
                manifest.setProperty("labelOrigin." + k, labelOrigins.get(k));
                k++;
            }
            putTexts(manifest, "declared", declared);
            // the manifest last, flushed to disk: a folder with one is complete (and only a complete folder is renamed)
            try (var out = Files.newBufferedWriter(dir.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                manifest.store(out, "rnnkit streaming cache");
            }
            try (FileChannel channel = FileChannel.open(dir.resolve(MANIFEST), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }

        @Override
        public void close() throws IOException {
            values.close();
            index.close();
            labels.close();
        }
    }

    /**
     * A rows file's lines into a {@link Writer}: one sequence a row, its label in the first or last column, or given by its
     * block of rows (RowsLayout's row-blocks).
     */
    private static final class Rows {
        private final Writer writer;
        private final Path file;
        private final DataConfig data;
        private final LabelSource from;
        private final char decimal;
        private final DataFaults faults = new DataFaults();
        private final boolean labelColumn;
        private int width = -1;
        private int valueCount;
        private long firstLine;
        private int rows;

        Rows(Writer writer, Path file, DataConfig data) {
            this.writer = writer;
            this.file = file;
            this.data = data;
            this.from = data.labels().from();
            this.decimal = data.decimal().character();
            if (from == null) { // DatasetLoader.loadForTraining refuses it before, as the in-memory path does
                throw new IllegalStateException("rows without data.labels.from are not streamed");
            }
            labelColumn = from == LabelSource.FIRST_COLUMN || from == LabelSource.LAST_COLUMN;
        }

        /** With row blocks, the rows must be the blocks of every class, as the in-memory layout requires. */
        void requireBlocks() {
            if (from != LabelSource.ROW_BLOCKS) {
                return;
            }
            int blockSize = data.labels().blockSize();
            List<String> classes = data.labels().classes();
            if (rows != blockSize * classes.size()) {
                throw new DataException(file + ": " + rows + " rows, but data.labels says " + classes.size() + " classes in blocks of "
                        + blockSize + " rows (" + blockSize * classes.size() + " rows)");
            }
        }

        void row(TextRecords.Line line) {
            List<String> fields = line.fields();
            int row = rows++;
            if (width < 0) {
                width = fields.size();
                firstLine = line.number();
                valueCount = width - (labelColumn ? 1 : 0);
                if (valueCount < 1) {
                    throw DataException.at(file, firstLine, "a row needs at least one value besides the label");
                }
                if (valueCount % data.features() != 0) {
                    throw DataException.at(file, firstLine, valueCount + " values do not divide into time steps of data.features = "
                            + data.features() + " values");
                }
            }
            while (fields.size() > width && fields.get(fields.size() - 1).isBlank()) {
                fields = fields.subList(0, fields.size() - 1); // trailing empty columns of a spreadsheet export
            }
            if (fields.size() != width) {
                faults.add(DataException.at(file, line.number(), "ragged row: " + fields.size() + " fields, but the first row (line "
                        + firstLine + ") has " + width + "; every sequence in this layout must have the same length"));
                return;
            }
            int offset = from == LabelSource.FIRST_COLUMN ? 1 : 0;
            for (int v = 0; v < valueCount; v++) {
                if (writer.isCategorical(v % data.features())) { // its text, stripped, as RowsLayout reads it
                    writer.value(writer.category(v % data.features(), fields.get(v + offset).strip(), file + ":" + line.number()));
                    continue;
                }
                try {
                    writer.value((float) TextRecords.number(file, line, v + offset, fields.get(v + offset), decimal));
                } catch (DataException e) {
                    faults.add(e);
                    writer.value(0f);
                }
            }
            // one target per row, as the in-memory rows layout reads it (DatasetLoader.regressed)
            String label = from == LabelSource.ROW_BLOCKS ? blockLabel(row) : fields.get(from == LabelSource.FIRST_COLUMN ? 0 : width - 1).strip();
            writer.end(valueCount / data.features(), data.features(), new String[]{label}, file + ":" + line.number());
        }

        /** The class of the row-th row's block; past the last block, the first class (the count is refused at the end). */
        private String blockLabel(int row) {
            List<String> classes = data.labels().classes();
            int block = row / data.labels().blockSize();
            return classes.get(block < classes.size() ? block : 0);
        }
    }

    /**
     * A new file written through a 1 MiB little-endian buffer, forced to disk when closed (a cache's files; a scratch file
     * read only by this run need not be). A failed write is an {@link io.rnnkit.OutputException} naming the file.
     */
    static final class Output implements AutoCloseable {
        private final Path path;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final MessageDigest digest;
        private final boolean durable;
        private boolean closed;

        /** @param digest what the bytes written are also hashed into (the fingerprint), or null */
        Output(Path path, MessageDigest digest) throws IOException {
            this(path, digest, true);
        }

        /** @param durable whether closing forces the file to disk */
        Output(Path path, MessageDigest digest, boolean durable) throws IOException {
            this.path = path;
            this.digest = digest;
            this.durable = durable;
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        void putFloat(float v) {
            room(4).putFloat(v);
        }

        void putInt(int v) {
            room(4).putInt(v);
        }

        void putLong(long v) {
            room(8).putLong(v);
        }

        void putDouble(double v) {
            room(8).putDouble(v);
        }

        private ByteBuffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                drain();
            }
            return buffer;
        }

        private void drain() {
            try {
                buffer.flip();
                if (digest != null) {
                    digest.update(buffer.duplicate());
                }
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                buffer.clear();
            } catch (IOException e) { // disk full, say: the build stops with the file named, as install reports its own faults
                throw new io.rnnkit.OutputException(path, "cannot write the streaming cache: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                drain();
                if (durable) {
                    channel.force(true);
                }
            } finally {
                channel.close();
            }
        }
    }

    private static ByteBuffer map(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * A file in little-endian mappings of {@link #CHUNK_BYTES} (an int, float or double never straddles two): 1 GiB, as a
     * MappedByteBuffer holds at most 2 GiB. The value caches index their float and double views of it by the same size.
     */
    static ByteBuffer[] mapChunks(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer[] chunks = new ByteBuffer[(int) Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES)];
            for (int c = 0; c < chunks.length; c++) {
                long from = c * CHUNK_BYTES;
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(CHUNK_BYTES, size - from)).order(ByteOrder.LITTLE_ENDIAN);
            }
            return chunks;
        }
    }

    /** The k-th label id in labels.i32. */
    private int labelAt(long k) {
        long at = k * Integer.BYTES;
        return labels[(int) (at / CHUNK_BYTES)].getInt((int) (at % CHUNK_BYTES));
    }

    /** The k-th value in targets.f64. */
    private double targetAt(long k) {
        long at = k * Double.BYTES;
        return targets[(int) (at / CHUNK_BYTES)].getDouble((int) (at % CHUNK_BYTES));
    }

    /** Sequences in the cache. */
    public int size() {
        return count;
    }

    public int features() {
        return features;
    }

    /** Width of a regression target; 0 for class labels. */
    public int targetWidth() {
        return targetWidth;
    }

    /** Whether this call built the cache (false: it was there). */
    public boolean built() {
        return built;
    }

    public Path directory() {
        return dir;
    }

    /** The data file the cache was built from. */
    public Path source() {
        return source;
    }

    /** SHA-256 over the cache's values and labels as stored (float32 values: not the in-memory path's, over doubles). */
    String fingerprint() {
        return fingerprint;
    }

    int minLength() {
        return minLength;
    }

    int maxLength() {
        return maxLength;
    }

    /** The distinct label texts (canonical), in the order they first appear. */
    List<String> labelTexts() {
        return labelTexts;
    }

    /** Where each label text first appears, {@code file:line}. */
    String labelOrigin(int id) {
        return labelOrigins.get(id);
    }

    /** The classes an archive file's header declares, in order; empty when it declares none (and for other layouts). */
    List<String> declaredClasses() {
        return declared;
    }

    /** Per categorical feature (by index), the texts its cached ids stand for, in id order; empty without data.categorical. */
    Map<Integer, List<String>> categorical() {
        return categorical;
    }

    /** False for an archive file whose header says its cases have no label. */
    boolean labelled() {
        return labelled;
    }

    /** Whether the cache holds a label per step (many-to-many) rather than one per sequence. */
    boolean perStep() {
        return perStep;
    }

    /** The label text id of sequence i (classification, a label per sequence). */
    int labelId(int i) {
        return labelAt(i);
    }

    /** Where sequence i's first label is in the label files: i, or with labels per step its first step's. */
    private long firstLabel(int i) {
        return perStep ? index.get(i) / features : i;
    }

    /** The label rows of sequence i: one, or with labels per step one a step. */
    private int labelRows(int i) {
        return perStep ? length(i) : 1;
    }

    /** Text's distinct tokens in the order of their ids in the cache (not the vocabulary: see StreamedSplit). */
    List<String> tokens() {
        List<String> out = new ArrayList<>();
        try (var in = Files.newBufferedReader(dir.resolve(TOKENS), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                StringBuilder token = new StringBuilder();
                for (int c = 0; c < line.length(); c++) {
                    char ch = line.charAt(c);
                    if (ch == '\\' && c + 1 < line.length()) {
                        char next = line.charAt(++c);
                        token.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
                    } else {
                        token.append(ch);
                    }
                }
                out.add(token.toString());
            }
        } catch (IOException e) {
            throw new DataException("the streaming cache " + dir + " cannot be read (" + e.getMessage() + "); delete the folder to rebuild it", e);
        }
        return out;
    }

    /**
     * Text lines at {@code indices} as the in-memory text layout encodes them: cut to {@code maxTokens} tokens, each cached
     * id mapped through {@code vocabularyOf} (the vocabulary index of each cached token), none as the single unknown token.
     */
    List<double[][]> tokenSequences(int[] indices, int[] vocabularyOf, int maxTokens, int unknown) {
        return new View<>(indices, i -> {
            double[][] ids = sequence(i);
            if (ids.length == 0) {
                return new double[][]{{unknown}};
            }
            double[][] out = new double[Math.min(ids.length, maxTokens)][1];
            for (int t = 0; t < out.length; t++) {
                out[t][0] = vocabularyOf[(int) ids[t][0]];
            }
            return out;
        });
    }

    /** Bytes of the cache's files. */
    public long bytes() {
        try (var files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    double[][] sequence(int i) {
        long from = index.get(i);
        int steps = (int) ((index.get(i + 1) - from) / features);
        double[][] out = new double[steps][features];
        float[] row = new float[steps * features];
        values(from, row);
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < features; f++) {
                out[t][f] = row[t * features + f];
            }
        }
        return out;
    }

    /** The steps of sequence i, read from the index alone. */
    int length(int i) {
        return (int) ((index.get(i + 1) - index.get(i)) / features);
    }

    /** Every sequence's values end to end: for text generation from a stream, its tokens ({@link StreamedText}). */
    long valueCount() {
        return index.get(count);
    }

    /** The values from {@code from} on, end to end across sequences, into {@code row}. */
    void values(long from, float[] row) {
        for (int done = 0; done < row.length; ) {
            long at = from + done;
            FloatBuffer chunk = values[(int) (at / CHUNK_FLOATS)];
            int within = (int) (at % CHUNK_FLOATS);
            int n = (int) Math.min(row.length - done, CHUNK_FLOATS - within);
            chunk.get(within, row, done, n);
            done += n;
        }
    }

    /** The target rows of sequence i: one, or with labels per step one a step. */
    double[][] targetRows(int i) {
        double[][] out = new double[labelRows(i)][targetWidth];
        long from = firstLabel(i) * targetWidth;
        for (int t = 0; t < out.length; t++) {
            for (int k = 0; k < targetWidth; k++) {
                out[t][k] = targetAt(from + (long) t * targetWidth + k);
            }
        }
        return out;
    }

    /** The sequences at {@code indices} of the cache, read when asked for. */
    List<double[][]> sequences(int[] indices) {
        return new View<>(indices, this::sequence);
    }

    /** Their classes (one, or with labels per step one a step): label text ids mapped through {@code classOf}. */
    List<int[]> classes(int[] indices, int[] classOf) {
        return new View<>(indices, i -> {
            int[] out = new int[labelRows(i)];
            long from = firstLabel(i);
            for (int t = 0; t < out.length; t++) {
                out[t] = classOf[labelAt(from + t)];
            }
            return out;
        });
    }

    /** Their targets: one vector, or with labels per step one a step. */
    List<double[][]> targets(int[] indices) {
        return new View<>(indices, this::targetRows);
    }

    /**
     * A read-only list over some of the cache's sequences that reads an element from the mapped files each time it is
     * asked for (or, for windows of a series, cuts it from the series: {@link ForecastWindowing}); {@link SequenceSet}
     * keeps it as it is rather than copying it.
     */
    static final class View<T> extends AbstractList<T> implements RandomAccess {
        private final int[] indices;
        private final java.util.function.IntFunction<T> read;

        View(int[] indices, java.util.function.IntFunction<T> read) {
            this.indices = indices;
            this.read = read;
        }

        @Override
        public T get(int k) {
            return read.apply(indices[k]);
        }

        @Override
        public int size() {
            return indices.length;
        }
    }
}
