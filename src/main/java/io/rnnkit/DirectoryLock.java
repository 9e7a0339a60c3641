package io.rnnkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time in a directory: an operating-system lock on its {@code .lock} file, which the system
 * releases when the process ends however it ends (kill -9 included), so a lock never outlives its holder.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory's lock, or fails at once.
     *
     * @param busy the message when another process (or this one) holds it: who it is and what to do
     */
    public static DirectoryLock acquire(Path dir, String busy) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
            if (lock == null) {
                channel.close();
                throw new BadInputException(busy);
            }
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the channel is closed or unusable either way
            }
            throw new BadInputException(dir + ": cannot lock the directory: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the operating system releases the lock when the process ends anyway
        }
    }
}
