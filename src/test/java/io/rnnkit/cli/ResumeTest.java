package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.NetworkCodec;
import io.rnnkit.bundle.SavedFile;
import io.rnnkit.config.Yaml;
import io.rnnkit.train.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interruptions: a training process killed with SIGKILL (kill -9) or stopped with SIGTERM is resumed with
 * {@code train --resume} and ends with exactly the parameters, history and model of a run that never stopped.
 * The interrupted runs are separate JVMs, destroyed for real.
 */
class ResumeTest {
    private static final int EPOCHS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL.replace("epochs: 1", "epochs: " + EPOCHS));
    }

    /** Starts {@code rnnkit train} in another JVM and destroys it once {@code epochs} epochs are in history.csv. */
    private Path trainAndInterrupt(Path config, String name, boolean forcibly, String checkpointEvery) throws Exception {
        Path out = dir.resolve(name);
        Process p = ChildJvm.start(dir.resolve(name + ".log"), "1g", "train", config.toString(), "--out", out.toString(),
                "--set", "training.checkpointEvery=" + checkpointEvery);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (historyRows(out) < 2) {
            assertTrue(p.isAlive(), "the training process ended early: " + Files.readString(dir.resolve(name + ".log")));
            assertTrue(System.nanoTime() < deadline, "no epoch finished in 2 minutes");
            Thread.sleep(20);
        }
        if (forcibly) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        p.waitFor();
        int done = historyRows(out);
        assertTrue(done < EPOCHS, "the process was stopped before the end (" + done + " epochs done)");
        return out;
    }

    static int historyRows(Path out) throws IOException {
        Path h = out.resolve("history.csv");
        return Files.exists(h) ? (int) Files.readString(h).lines().count() - 1 : 0;
    }

    private static float[] lastEpochParams(Path run) throws IOException {
        SavedFile checkpoint = SavedFile.read(run.resolve(Checkpoints.FILE), BundleFormat.Kind.CHECKPOINT);
        return NetworkCodec.restore(checkpoint, true).params().data().asFloat();
    }

    private static JsonNode status(Path run) throws IOException {
        return JSON.readTree(run.resolve("status.json").toFile());
    }

    @Test
    void aKilledAndAStoppedRunResumeToTheParametersOfAnUninterruptedOne() throws Exception {
        Path config = config();
        Path whole = dir.resolve("whole");
        CliTest.Outcome trained = CliTest.rnnkit("train", config.toString(), "--out", whole.toString());
        assertEquals(0, trained.code(), trained.err());
        assertEquals("completed", status(whole).get("status").asText());

        // kill -9 with a checkpoint after every epoch
        Path killed = trainAndInterrupt(config, "killed", true, "1");
        assertEquals("running", status(killed).get("status").asText(), "SIGKILL gives the process no chance to say anything");
        // SIGTERM with no periodic checkpoints: only the shutdown hook can have written one
        Path stopped = trainAndInterrupt(config, "stopped", false, "0");
        JsonNode s = status(stopped);
        assertEquals("interrupted", s.get("status").asText(), s.toString());
        assertTrue(s.get("message").asText().contains("rnnkit train --resume " + stopped), s.toString());
        assertTrue(Files.exists(stopped.resolve(Checkpoints.FILE)), "the shutdown hook wrote the last whole epoch");

        for (Path run : List.of(killed, stopped)) {
            CliTest.Outcome o = CliTest.rnnkit("train", "--resume", run.toString());
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains("resuming after epoch "), o.out());
            assertEquals("completed", status(run).get("status").asText());
            assertArrayEquals(lastEpochParams(whole), lastEpochParams(run), 0f, run + ": last-epoch parameters");
            assertEquals(Files.readString(whole.resolve("metrics.json")), Files.readString(run.resolve("metrics.json")), run + ": metrics");
            assertEquals(columnsWithoutSeconds(whole), columnsWithoutSeconds(run), run + ": history");
        }
    }

    /** history.csv without its wall-clock column. */
    private static List<String> columnsWithoutSeconds(Path run) throws IOException {
        return Files.readString(run.resolve("history.csv")).lines().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void resumeRefusesAConfigOrADirectoryWithoutACheckpoint() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliTest.Outcome o = CliTest.rnnkit("train", "--resume", empty.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("not a run directory"), o.err());
        Files.writeString(empty.resolve("config.yaml"), Yaml.MINIMAL);
        o = CliTest.rnnkit("train", "--resume", empty.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no checkpoint.zip to resume from"), o.err());
        o = CliTest.rnnkit("train", config().toString(), "--resume", empty.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("give no CONFIG, --out or --set with it"), o.err());
    }
}
