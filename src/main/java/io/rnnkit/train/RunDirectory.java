package io.rnnkit.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.AtomicFiles;
import io.rnnkit.BadInputException;
import io.rnnkit.DirectoryLock;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's directory (docs/architecture.md, "The run directory"). It is claimed only when it does not exist or is empty, so an earlier
 * run is never overwritten, and every file is written to a temporary name and moved into place, so a crash
 * leaves either the old file or the new one, never half of one.
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String STATUS = "status.json";
    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** The directory to use when neither {@code --out} nor {@code output.dir} names one: {@code runs/<name>-<time>}. */
    public static Path defaultFor(String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path candidate = Path.of("runs", name + "-" + stamp);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = Path.of("runs", name + "-" + stamp + "-" + i);
        }
        return candidate;
    }

    /** Fails, before anything is trained, when the directory holds files already or cannot be written. */
    public static void checkUsable(Path dir) {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new BadInputException(dir + ": the output path is a file, not a directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException(dir + ": the run directory already holds files; rnnkit never overwrites a run."
                            + " Choose another --out or remove it");
                }
            } catch (IOException e) {
                throw new BadInputException(dir + ": cannot read the output directory: " + e.getMessage());
            }
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing)) {
            throw new BadInputException(dir + ": cannot create the run directory (" + existing + " is not writable)");
        }
    }

    /**
     * Fails before training when the file system holding the run directory has less usable space than the run
     * is expected to write ({@link Checkpoints#estimateBytes}), rather than an hour later at the first checkpoint.
     */
    public static void checkSpace(Path dir, long bytesNeeded) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            long usable = Files.getFileStore(existing).getUsableSpace();
            if (usable < bytesNeeded) {
                throw new BadInputException(dir + ": only " + megabytes(usable) + " free on its file system, but the run writes up to "
                        + megabytes(bytesNeeded) + " (model, checkpoints, plots); free some space or choose another --out");
            }
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot tell the free space of the output file system: " + e.getMessage());
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /** An existing run directory, for {@code train --resume}: it must hold the run's config.yaml. */
    public static RunDirectory reopen(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.yaml"))) {
            throw new BadInputException(dir + ": not a run directory (no config.yaml)");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException(dir + ": the run directory is not writable");
        }
        return new RunDirectory(dir);
    }

    /**
     * {@code status.json}: {@code running}, {@code completed}, {@code failed} (with the reason) or
     * {@code interrupted} (with how to resume), and the epochs done, so a glance at the directory says how the run ended.
     */
    public void writeStatus(String status, String message, int epochsDone) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("status", status);
        json.put("epochsDone", epochsDone);
        if (message != null) {
            json.put("message", message);
        }
        json.put("time", java.time.Instant.now().toString());
        // who wrote it: a reader tells a live run from one killed before it could say so (kill -9, power cut)
        ProcessHandle self = ProcessHandle.current();
        json.put("pid", self.pid());
        self.info().startInstant().ifPresent(start -> json.put("processStart", start.toString()));
        String boot = bootId();
        if (boot != null) {
            json.put("bootId", boot);
        }
        writeJson(STATUS, json);
    }

    /**
     * How a run stands, as {@code status.json} says, except that a {@code running} whose process is gone (killed
     * with SIGKILL, out of memory, a reboot) is reported as {@code interrupted}, with the epoch its checkpoint holds.
     *
     * @return null when the directory has no readable status.json
     */
    public static RunStatus status(Path dir) {
        JsonNode json;
        try {
            json = JSON.readTree(dir.resolve(STATUS).toFile());
        } catch (IOException e) {
            return null;
        }
        String status = json.path("status").asText("unknown");
        int epochs = json.path("epochsDone").asInt();
        String message = json.hasNonNull("message") ? json.get("message").asText() : null;
        if (status.equals("running") && json.has("pid") && !alive(json)) {
            int kept = Checkpoints.epochsDone(dir);
            String resume = "continue with: rnnkit train --resume " + dir;
            return new RunStatus("interrupted", Math.max(kept, 0), "the training process (pid " + json.get("pid").asLong()
                    + ") ended without writing its status (killed, or the machine stopped); "
                    + (kept >= 0 ? Checkpoints.FILE + " holds epoch " + kept + "; " + resume
                    : Files.isRegularFile(dir.resolve(CrossValidation.FILE)) ? CrossValidation.FILE + " holds the cross-validation folds it"
                    + " finished (the one it was training starts again); " + resume
                    : "no checkpoint was written, so it starts anew"), true);
        }
        return new RunStatus(status, epochs, message, false);
    }

    /**
     * A run's state for people and reports.
     *
     * @param stale whether status.json said {@code running} for a process that no longer runs
     */
    public record RunStatus(String status, int epochsDone, String message, boolean stale) {
    }

    /** Whether the process that wrote the status is still running: the same pid, started at the same time, since the same boot. */
    private static boolean alive(JsonNode json) {
        String boot = bootId();
        if (json.has("bootId") && boot != null && !boot.equals(json.get("bootId").asText())) {
            return false;
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(json.get("pid").asLong());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        if (!json.has("processStart")) {
            return true;
        }
        java.util.Optional<java.time.Instant> start = process.get().info().startInstant();
        // a reused pid belongs to a process started later; the start time is known to the clock tick, so allow a second
        return start.isEmpty() || Math.abs(java.time.Duration.between(start.get(),
                java.time.Instant.parse(json.get("processStart").asText())).toMillis()) < 1000;
    }

    /** Linux's id of this boot, which changes on every reboot; null elsewhere. */
    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * One training process per run directory ({@code rnnkit train}, then each {@code train --resume}), as {@code tune}
     * has one per search: two would write the same checkpoint and history.
     */
    public DirectoryLock lock() {
        return DirectoryLock.acquire(dir, dir + ": another rnnkit process is training this run (status.json: "
                + describe(status(dir)) + "); wait for it or stop it first");
    }

    private static String describe(RunStatus status) {
        return status == null ? "none" : status.status() + " after " + status.epochsDone() + " epoch(s)";
    }

    /** Creates (or takes the empty) directory and proves it writable by writing a probe file. */
    public static RunDirectory claim(Path dir) {
        checkUsable(dir);
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot write to the run directory: " + e.getMessage());
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    public void writeText(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeJson(String name, Object value) {
        try {
            write(name, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String name, byte[] bytes) {
        AtomicFiles.write(dir.resolve(name), bytes);
    }

    /** history.csv: one row per epoch, validation metrics prefixed {@code validation_}. */
    public void writeHistory(List<EpochRecord> history) {
        StringBuilder csv = new StringBuilder("epoch,train_loss");
        // baselines are constant over epochs and live in metrics.json
        List<String> names = history.isEmpty() ? List.of() : List.copyOf(history.get(0).validation().keySet().stream()
                .filter(n -> !n.contains("naive")).sorted(
                (a, b) -> a.equals("loss") ? -1 : b.equals("loss") ? 1 : a.compareTo(b)).toList());
        for (String n : names) {
            csv.append(",validation_").append(n);
        }
        csv.append(",seconds\n");
        for (EpochRecord r : history) {
            csv.append(r.epoch()).append(',').append(r.trainLoss());
            for (String n : names) {
                csv.append(',').append(r.validation().get(n));
            }
            csv.append(',').append(String.format(java.util.Locale.ROOT, "%.3f", r.seconds())).append('\n');
        }
        writeText("history.csv", csv.toString());
    }
}
