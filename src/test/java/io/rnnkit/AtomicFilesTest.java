package io.rnnkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-or-nothing files: links followed, a failed write leaves the old file and no temporary one. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aChainOfLinksIsFollowedToTheFileItNamesAndTheLinksStay() throws IOException {
        Files.createDirectories(dir.resolve("real"));
        Path file = Files.writeString(dir.resolve("real/out.csv"), "old");
        Path inner = Files.createSymbolicLink(dir.resolve("inner"), Path.of("real/out.csv"));
        Path outer = Files.createSymbolicLink(dir.resolve("outer"), inner.toAbsolutePath());
        AtomicFiles.write(outer, "new".getBytes());
        assertEquals("new", Files.readString(file));
        assertTrue(Files.isSymbolicLink(inner) && Files.isSymbolicLink(outer));
        try (Stream<Path> s = Files.list(dir.resolve("real"))) {
            assertEquals(1, s.count(), "the temporary file was renamed beside its target");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("out.csv"), "old");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFiles.write(file, temp -> {
            Files.writeString(temp, "half");
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + file + ": No space left on device", e.getMessage());
        assertEquals(file, e.path());
        assertEquals("old", Files.readString(file));
        assertEquals(1, entries(), "no .out.csv*.tmp left");
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertTrue(assertThrows(OutputException.class, () -> AtomicFiles.write(loop, new byte[1])).getMessage()
                .contains("too many levels of symbolic links"));
    }

    @Test
    void standardOutputIsRecognisedByItsNames() {
        assertTrue(AtomicFiles.isStandardOutput(Path.of("/dev/stdout")));
        assertTrue(AtomicFiles.isStandardOutput(Path.of("/dev/fd/1")));
        assertTrue(AtomicFiles.isStandardOutput(Path.of("/proc/self/fd/1")));
        assertFalse(AtomicFiles.isStandardOutput(Path.of("/dev/stderr")));
        assertFalse(AtomicFiles.isStandardOutput(Path.of("stdout")));
    }
}
