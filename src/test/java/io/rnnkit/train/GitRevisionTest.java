package io.rnnkit.train;

import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The config's git commit in a bundle's provenance: exact when committed, marked when modified, null when unknowable. */
class GitRevisionTest {
    @TempDir
    Path dir;

    private String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=rnnkit test",
                "-c", "user.email=test@rnnkit.invalid", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    private Path committedConfig() throws IOException, InterruptedException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        git(repo, "init", "-q");
        Path config = Files.writeString(Files.createDirectories(repo.resolve("configs")).resolve("tiny.yaml"), Yaml.MINIMAL);
        Files.writeString(repo.resolve("other.txt"), "1");
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "config");
        Files.writeString(repo.resolve("other.txt"), "2");
        git(repo, "commit", "-q", "-am", "a later commit that does not touch the config");
        return config;
    }

    @Test
    void theLastCommitOfTheFileAndDirtyWhenItChangedSince() throws Exception {
        Path config = committedConfig();
        Path repo = dir.resolve("repo");
        String configCommit = git(repo, "rev-list", "-1", "HEAD~1");
        assertEquals(configCommit, GitRevision.of(config), "the commit that last touched the file, not HEAD");
        Files.writeString(config, Yaml.MINIMAL + "# edited\n");
        assertEquals(configCommit + "-dirty", GitRevision.of(config));
    }

    @Test
    void unknownOutsideGitForUntrackedFilesAndWithoutAFile() throws Exception {
        Path outside = Files.writeString(dir.resolve("loose.yaml"), Yaml.MINIMAL);
        assertNull(GitRevision.of(outside));
        committedConfig();
        assertNull(GitRevision.of(Files.writeString(dir.resolve("repo/untracked.yaml"), Yaml.MINIMAL)));
        assertNull(GitRevision.of(dir.resolve("missing.yaml")));
        assertNull(GitRevision.of(null));
    }

    @Test
    void aRunRecordsTheCommitOfItsConfigInTheBundle() throws Exception {
        Path config = committedConfig();
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        assertEquals(git(dir.resolve("repo"), "rev-list", "-1", "HEAD~1"),
                Bundle.read(run.directory().resolve("model.zip")).provenance().configCommit());
    }
}
