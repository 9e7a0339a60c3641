package io.rnnkit.train;

import io.rnnkit.BadInputException;
import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.BundleIntegrityException;
import io.rnnkit.bundle.CraftedZip;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code checkpoint.zip}, which {@code train --resume} reads, is checked like a bundle: a changed byte or an added
 * entry is refused before anything is restored, and nothing in it is deserialized as Java objects.
 */
class CheckpointIntegrityTest {
    @TempDir
    static Path dir;
    static MultiLayerNetwork network;
    static Path honest;

    @BeforeAll
    static void writeACheckpoint() {
        network = TrainedModels.classifier().run().training().network();
        TrainingState state = new TrainingState();
        state.epochsDone = 2;
        state.bestParams = network.params().dup();
        state.bestEpoch = 2;
        Checkpoints checkpoints = new Checkpoints(dir.resolve("honest"), 1);
        checkpoints.epochDone(network, state);
        honest = dir.resolve("honest").resolve(Checkpoints.FILE);
    }

    /** A copy of the honest checkpoint in its own run directory, with {@code edit} applied to its entries. */
    private static Path copy(String name, java.util.function.Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(honest));
        edit.accept(entries);
        Path run = Files.createDirectories(dir.resolve(name));
        Files.write(run.resolve(Checkpoints.FILE), CraftedZip.build(CraftedZip.honest(entries)));
        return run;
    }

    @Test
    void anHonestCheckpointGivesBackTheNetworkWithItsUpdaterStateAndTheBestParameters() {
        Checkpoints.Saved saved = Checkpoints.read(honest.getParent());
        assertArrayEquals(network.params().toFloatVector(), saved.network().params().toFloatVector(), 0f);
        assertArrayEquals(network.getUpdater().getStateViewArray().toFloatVector(),
                saved.network().getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertArrayEquals(network.params().toFloatVector(), saved.state().bestParams.toFloatVector(), 0f);
        assertEquals(2, saved.state().epochsDone);
    }

    @Test
    void aChangedByteInTheLargestEntryIsRefused() throws IOException {
        Path run = copy("changed", entries -> {
            byte[] largest = entries.values().stream().max(Comparator.comparingInt(b -> b.length)).orElseThrow();
            largest[largest.length - 1] ^= 1;
        });
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> Checkpoints.read(run));
        assertTrue(e.getMessage().contains("fails its SHA-256 check"), e.getMessage());
    }

    @Test
    void aSerializedObjectAddedToTheCheckpointIsRefused() throws IOException {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new example.untrusted.PreprocessorTrap());
        }
        Path run = copy("preprocessor", entries -> entries.put("preprocessor.bin", serialized.toByteArray()));
        BadInputException e = assertThrows(BundleIntegrityException.class, () -> Checkpoints.read(run));
        assertTrue(e.getMessage().contains("'preprocessor.bin' is not part of an rnnkit checkpoint"), e.getMessage());
        assertEquals(java.util.List.of(), example.untrusted.Traps.events());
    }

    @Test
    void aCheckpointInTheUnverifiedLayoutOfEarlierVersionsIsRefusedWithItsReason() throws IOException {
        Path run = copy("nested", entries -> {
            entries.clear();
            entries.put("network.zip", new byte[]{1, 2, 3});
            entries.put("state.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> Checkpoints.read(run));
        assertEquals(run.resolve(Checkpoints.FILE) + ": a checkpoint of an earlier rnnkit, which kept no checksums and cannot be verified;"
                + " start the run again", e.getMessage());
    }
}
