package io.rnnkit.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.AtomicFiles;
import io.rnnkit.DirectoryLock;
import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A search's directory: {@code search.json} (the config and overrides it searches, and the search time spent),
 * {@code trials/NNNN.json} (each finished candidate, written the moment it ends), {@code trials.csv} (all of them,
 * rewritten after each), {@code candidates/NNNN/} (each candidate's run directory) and {@code best/} (a copy of the
 * best candidate's run directory). Every file is written whole or not at all, so a kill -9 at any moment leaves a
 * directory the same command resumes from.
 */
final class SearchDirectory implements AutoCloseable {
    static final String MANIFEST = "search.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final List<String> columns;
    private final Map<Integer, TrialRecord> trials = new TreeMap<>();
    private double secondsBefore;
    private DirectoryLock lock;

    private SearchDirectory(Path dir, List<String> columns) {
        this.dir = dir;
        this.columns = columns;
    }

    /**
     * Starts a search in an empty or missing directory, or reopens one that searches the same config with the same
     * overrides (then its finished candidates are kept). Anything else is refused before a candidate trains.
     */
    static SearchDirectory open(Path dir, ConfigSource source, List<String> columns) {
        SearchDirectory d = new SearchDirectory(dir, columns);
        Path manifest = dir.resolve(MANIFEST);
        try {
            if (Files.isRegularFile(manifest)) {
                JsonNode m = JSON.readTree(manifest.toFile());
                List<String> overrides = new ArrayList<>();
                m.get("overrides").forEach(o -> overrides.add(o.asText()));
                if (!m.get("yaml").asText().equals(source.yaml()) || !overrides.equals(source.overrides())) {
                    throw new BadInputException(dir + " holds a search of another config (or other --set values) than " + source.source()
                            + "; a search resumes only with the same config and overrides. Choose another --out");
                }
                d.lock();
                d.secondsBefore = m.get("seconds").asDouble();
                d.load();
                return d;
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new BadInputException(dir + ": the directory holds files but no " + MANIFEST + ", so it is not a search to resume;"
                                + " rnnkit never overwrites it. Choose another --out");
                    }
                }
            } else if (Files.exists(dir)) {
                throw new BadInputException(dir + ": the output path is a file, not a directory");
            }
            Files.createDirectories(dir.resolve("trials"));
            d.lock();
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot use the search directory: " + e.getMessage());
        }
        d.writeManifest(source, 0);
        return d;
    }

    /** One search process per directory: a second {@code rnnkit tune} on it would train the same candidates into the same folders. */
    private void lock() {
        lock = DirectoryLock.acquire(dir, dir + ": another rnnkit tune is running on this search directory; wait for it or stop it first");
    }

    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
    }

    private void load() throws IOException {
        Path folder = dir.resolve("trials");
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.json")).toList()) {
                TrialRecord r = JSON.readValue(f.toFile(), TrialRecord.class);
                trials.put(r.id(), r);
            }
        }
    }

    private void writeManifest(ConfigSource source, double seconds) {
        ObjectNode m = JSON.createObjectNode();
        m.put("source", source.source());
        m.put("yaml", source.yaml());
        m.putPOJO("overrides", source.overrides());
        m.put("seconds", seconds);
        write(MANIFEST, m);
    }

    /** Adds search time to the manifest, so a time budget counts the time of earlier, interrupted sessions too. */
    synchronized void recordTime(ConfigSource source, double sessionSeconds) {
        writeManifest(source, secondsBefore + sessionSeconds);
    }

    double secondsBefore() {
        return secondsBefore;
    }

    Path path() {
        return dir;
    }

    synchronized Map<Integer, TrialRecord> trials() {
        return new TreeMap<>(trials);
    }

    synchronized TrialRecord trial(int id) {
        return trials.get(id);
    }

    /** The run directory of candidate {@code id}, emptied of what a killed earlier attempt left there. */
    Path freshCandidateDir(int id) {
        Path d = dir.resolve("candidates").resolve(name(id));
        deleteTree(d);
        return d;
    }

    Path candidateDir(int id) {
        return dir.resolve("candidates").resolve(name(id));
    }

    static String name(int id) {
        return String.format(Locale.ROOT, "%04d", id);
    }

    /** Saves one finished candidate at once: its JSON record, then trials.csv with every candidate so far. */
    synchronized void save(TrialRecord record) {
        trials.put(record.id(), record);
        write("trials/" + name(record.id()) + ".json", record);
        AtomicFiles.write(dir.resolve("trials.csv"), csv().getBytes(StandardCharsets.UTF_8));
    }

    /** trials.csv: id, every searched value, score, status, epochs, seconds, reason. */
    String csv() {
        StringBuilder out = new StringBuilder("id");
        columns.forEach(c -> out.append(',').append(cell(c)));
        out.append(",score,status,epochs,seconds,reason\n");
        for (TrialRecord r : trials.values()) {
            out.append(r.id());
            columns.forEach(c -> out.append(',').append(cell(r.values().getOrDefault(c, ""))));
            out.append(',').append(r.score() == null ? "" : r.score().toString()).append(',').append(r.status()).append(',').append(r.epochs())
                    .append(',').append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(',').append(cell(r.reason() == null ? "" : r.reason()))
                    .append('\n');
        }
        return out.toString();
    }

    private static String cell(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.contains(",") || oneLine.contains("\"") ? "\"" + oneLine.replace("\"", "\"\"") + "\"" : oneLine;
    }

    /** Makes {@code best/} a copy of the candidate's run directory: copied beside it first, then swapped in. */
    synchronized void promoteBest(int id) {
        Path source = candidateDir(id);
        Path next = dir.resolve(".best-next");
        Path old = dir.resolve(".best-old");
        deleteTree(next);
        deleteTree(old);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = next.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".tmp")) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Path best = dir.resolve("best");
            if (Files.exists(best)) {
                Files.move(best, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(next, best, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the best candidate to " + dir.resolve("best") + ": " + e.getMessage(), e);
        }
        deleteTree(old);
    }

    private void write(String name, Object value) {
        try {
            AtomicFiles.write(dir.resolve(name), JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path d) {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> files = Files.walk(d)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + d + ": " + e.getMessage(), e);
        }
    }
}
