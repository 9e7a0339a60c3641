package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.BadInputException;
import io.rnnkit.config.Yaml;
import io.rnnkit.train.Checkpoints;
import io.rnnkit.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Faults during and before training: a diverging run says so and keeps its checkpoint; too little disk fails at once. */
class FaultsTest {
    @TempDir
    Path dir;

    @Test
    void aDivergingRunExits1AndItsDirectorySaysWhyAndKeepsTheCheckpoint() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL);
        Path run = dir.resolve("run");
        CliTest.Outcome o = CliTest.rnnkit("train", config.toString(), "--out", run.toString(), "--set", "training.epochs=6",
                "--set", "training.updater={type: sgd, learningRate: 9.9}", "--set", "training.gradientClipping.type=none",
                "--set", "model.layers=[{type: simple-rnn, units: 64, activation: relu}]", "--set", "model.weightInit=uniform");
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("error: training diverged: the loss became"), o.err());
        assertFalse(o.err().contains("unexpected"), o.err());
        JsonNode status = new ObjectMapper().readTree(run.resolve(RunDirectory.STATUS).toFile());
        assertEquals("failed", status.get("status").asText());
        assertTrue(status.get("message").asText().contains("lower training.updater.learningRate"), status.toString());
        if (status.get("epochsDone").asInt() > 0) {
            assertTrue(Files.exists(run.resolve(Checkpoints.FILE)), "the last good epoch is kept");
        } else {
            assertFalse(Files.exists(run.resolve(Checkpoints.FILE)), "no epoch finished, so there is nothing to keep");
        }
    }

    @Test
    void tooLittleFreeSpaceFailsBeforeTraining() {
        BadInputException e = assertThrows(BadInputException.class, () -> RunDirectory.checkSpace(dir.resolve("run"), Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("free on its file system, but the run writes up to"), e.getMessage());
        RunDirectory.checkSpace(dir.resolve("run"), 1024);
        assertTrue(Checkpoints.estimateBytes(1_000_000) > 4_000_000 * 2, "model and checkpoint at least");
    }
}
