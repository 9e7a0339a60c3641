package io.rnnkit.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The git commit a config file was last committed in, for a bundle's provenance: with it, the exact config
 * that trained a model can be found in history even when the run directory is gone. Best effort: asks the
 * {@code git} command, and any failure (no git, not a work tree, an untracked file, a slow disk) gives null
 * rather than stopping a training run that is otherwise fine.
 */
final class GitRevision {
    private static final long TIMEOUT_SECONDS = 10;

    private GitRevision() {
    }

    /**
     * {@code git log -1 --format=%H -- FILE}, with {@code -dirty} appended when the file has uncommitted
     * changes (then the commit is where the file came from, not what trained the model); null when unknown.
     */
    static String of(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        String commit = git(dir, "log", "-1", "--format=%H", "--", name);
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return null;
        }
        String status = git(dir, "status", "--porcelain", "--", name);
        if (status == null) {
            return null;
        }
        return status.isEmpty() ? commit : commit + "-dirty";
    }

    /** The trimmed standard output of a git command run in {@code dir}, or null if it fails. */
    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            // the output (a hash, or the status line of one file) fits the pipe, so waiting first cannot block git
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            byte[] out = process.getInputStream().readAllBytes();
            return process.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
