package io.rnnkit.cli;

import io.rnnkit.config.Yaml;
import io.rnnkit.train.Checkpoints;
import io.rnnkit.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's state after a kill -9: status.json still says {@code running}, but every reader reports the run as
 * interrupted with the epoch its checkpoint holds; and one process trains a run directory at a time.
 */
class RunStateTest {
    @TempDir
    Path dir;

    /** Starts training (or resuming) in a child JVM and waits until {@code epochs} epochs are in history.csv. */
    private Process trainUntil(Path run, int epochs, String... args) throws Exception {
        Process p = ChildJvm.start(dir.resolve(run.getFileName() + "-" + System.nanoTime() + ".log"), "1g", args);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (ResumeTest.historyRows(run) < epochs) {
            assertTrue(p.isAlive(), "the training process ended early");
            assertTrue(System.nanoTime() < deadline, "no epoch finished in 2 minutes");
            Thread.sleep(20);
        }
        return p;
    }

    /** {@code train --resume} in this JVM, which must be refused at once (were it not, it would train for minutes). */
    private static CliTest.Outcome secondResume(Path run) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliTest.rnnkit("train", "--resume", run.toString()));
    }

    @Test
    void aKilledRunReadsAsInterruptedWithItsCheckpointsEpochAndASecondResumeIsRefused() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL.replace("epochs: 1", "epochs: 5000"));
        Path run = dir.resolve("run");
        Process first = trainUntil(run, 2, "train", config.toString(), "--out", run.toString());
        try {
            // while it trains, neither a resume nor a report calls it interrupted
            CliTest.Outcome second = secondResume(run);
            assertEquals(2, second.code(), second.out() + second.err());
            assertTrue(second.err().contains(run + ": another rnnkit process is training this run (status.json: running after"), second.err());
            assertEquals("running", RunDirectory.status(run).status());
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        int kept = Checkpoints.epochsDone(run);
        assertTrue(kept >= 2, "the checkpoint holds the epochs done: " + kept);

        RunDirectory.RunStatus status = RunDirectory.status(run);
        assertEquals("interrupted", status.status());
        assertEquals(kept, status.epochsDone());
        assertTrue(status.message().contains("checkpoint.zip holds epoch " + kept + "; continue with: rnnkit train --resume " + run),
                status.message());

        CliTest.Outcome report = CliTest.rnnkit("report", run.toString());
        assertEquals(0, report.code(), report.err());
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("<strong class=\"interrupted\">interrupted</strong> after " + kept + " epoch(s)"), html);
        CliTest.Outcome inspect = CliTest.rnnkit("inspect", run.toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().startsWith(run + ": run interrupted after " + kept + " epoch(s)"), inspect.out());

        // a resume takes the lock in turn: a second one is refused while the first trains
        Process resumed = trainUntil(run, kept + 2, "train", "--resume", run.toString());
        try {
            CliTest.Outcome second = secondResume(run);
            assertEquals(2, second.code(), second.out() + second.err());
            assertTrue(second.err().contains("another rnnkit process is training this run"), second.err());
        } finally {
            resumed.destroyForcibly();
            resumed.waitFor();
        }
        assertEquals("interrupted", RunDirectory.status(run).status());
    }
}
