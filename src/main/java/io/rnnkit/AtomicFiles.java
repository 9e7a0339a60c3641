package io.rnnkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files replaced whole or not at all: written under a temporary name in the target's directory, flushed to the
 * disk ({@code fsync}), renamed over the target and the rename flushed with the directory, so a crash or a power
 * cut leaves the old file or the new one, never half of one or an empty one.
 *
 * <p>A symbolic link is followed: its target is what gets replaced, and the link stays. A target that exists and is
 * not a regular file (a FIFO, {@code /dev/stdout}, a terminal) is written to directly, as a stream: renaming over
 * it would replace the pipe or device with a regular file.
 */
public final class AtomicFiles {
    private static final int MAX_LINKS = 40; // as Linux's ELOOP limit

    /** Writes the content of a file at the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) {
        write(target, temp -> Files.write(temp, bytes));
    }

    /** @throws OutputException when the file cannot be written, naming it and the system's reason */
    public static void write(Path target, Writer writer) {
        Path temp = null;
        try {
            if (Files.isDirectory(target)) {
                throw new OutputException(target, "cannot write " + target + ": it is a directory", null);
            }
            Path file = linkTarget(target);
            if (file == null) {
                writer.write(target); // a pipe or a device: there is nothing to replace, only a stream to write
                return;
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.delete(temp); // writers such as zip file systems want to create the file themselves
            writer.write(temp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel written = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new OutputException(target, "cannot write " + target + ": " + reason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover .name.tmp beside the target is harmless
                }
            }
        }
    }

    /** Whether a path names this process's standard output ({@code /dev/stdout}, {@code /dev/fd/1}, {@code /proc/self/fd/1}). */
    public static boolean isStandardOutput(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        return p.equals("/dev/stdout") || p.equals("/dev/fd/1") || p.equals("/proc/self/fd/1");
    }

    /**
     * The regular file a path names after following symbolic links (the last link's target when it does not exist
     * yet), or null when it is to be written as a stream: not a regular file, or reached through {@code /proc} or
     * {@code /dev} (as {@code /dev/stdout} is), where the name stands for an open descriptor rather than a file.
     */
    static Path linkTarget(Path path) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            return null;
        }
        Path at = path.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(at); i++) {
            if (at.startsWith("/proc") || at.startsWith("/dev")) {
                return null;
            }
            Path next = Files.readSymbolicLink(at);
            Path parent = at.toAbsolutePath().getParent();
            at = parent == null ? next : parent.resolve(next);
        }
        if (Files.isSymbolicLink(at)) {
            throw new IOException("too many levels of symbolic links");
        }
        return Files.exists(at, LinkOption.NOFOLLOW_LINKS) ? at.toRealPath() : at;
    }

    /** Makes the rename itself durable; where a directory cannot be opened for it (not on Linux) the rename stands unsynced. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory as a channel; its renames are journaled by NTFS
        }
    }

    /** The system's reason, such as "No space left on device", without the exception's class. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
