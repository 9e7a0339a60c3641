package io.rnnkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every fuzz test ({@code *FuzzTest}, Jazzer's {@code @FuzzTest}) holds its target to, and where it writes
 * the files the target reads. A target may return a result or refuse the input with rnnkit's own typed error
 * ({@link BadInputException}) whose message says where the fault is; anything else it throws (a
 * NullPointerException, an index error, a NumberFormatException, an OutOfMemoryError...) leaves the test, which
 * is a finding: Jazzer saves the input and fails.
 */
public final class Fuzzing {
    /**
     * Inputs longer than this are skipped: the readers' behaviour on large files is the same code on more lines,
     * and a bounded input keeps every execution fast (memory limits are tested elsewhere).
     */
    public static final int MAX_INPUT = 64 * 1024;

    /**
     * Longer than this on one input is a hang: inputs are read in milliseconds. Checked here rather than with JUnit's
     * {@code @Timeout}, which in fuzzing mode would also time the whole fuzzing run.
     */
    public static final Duration HANG = Duration.ofSeconds(30);

    private static Path scratch;

    private Fuzzing() {
    }

    /**
     * Runs {@code target} (at most {@link #HANG}); a refusal must be rnnkit's typed error naming one of {@code where}
     * (a file, a YAML path).
     */
    public static void resultOrRefusal(Runnable target, String... where) {
        try {
            assertTimeoutPreemptively(HANG, target::run, "a hang: one input took longer than " + HANG);
        } catch (BadInputException refused) {
            String message = refused.getMessage();
            assertTrue(message != null && Arrays.stream(where).anyMatch(message::contains),
                    () -> "a refusal must say where the fault is (one of " + Arrays.toString(where) + "), got: " + message);
        }
    }

    /** A folder for this test JVM's fuzz files, removed when the JVM ends. */
    public static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("rnnkit-fuzz");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path root = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        }
        return scratch;
    }

    /** Writes {@code bytes} to {@code name} in the scratch folder (folders made as needed), replacing what was there. */
    public static Path write(String name, byte[] bytes) {
        Path file = scratch().resolve(name);
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code name} in the scratch folder and everything in it, then makes it again, empty. */
    public static Path emptyFolder(String name) {
        Path folder = scratch().resolve(name);
        delete(folder);
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
