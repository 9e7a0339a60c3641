package io.rnnkit.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.AtomicFiles;
import io.rnnkit.BadInputException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Resumable checkpoints in a run directory: {@code checkpoint.zip} holds the network with its updater state
 * (DL4J's ModelSerializer layout, which also keeps the iteration and epoch counters Adam's bias correction
 * depends on), the best epoch's parameters and {@link TrainingState} as JSON. It is written atomically, so a
 * kill -9 during the write leaves the previous checkpoint intact.
 *
 * <p>After every epoch a snapshot is serialized; it goes to disk every {@code every} epochs, and otherwise
 * waits in memory so that an interrupt (Ctrl-C, SIGTERM) can write the last whole epoch at once rather than
 * a state in the middle of an epoch, which could not be resumed exactly.
 */
public final class Checkpoints {
    public static final String FILE = "checkpoint.zip";
    private static final String NETWORK = "network.zip";
    private static final String BEST = "best.params";
    private static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final int every;
    private volatile byte[] pending;

    public Checkpoints(Path dir, int every) {
        this.file = dir.resolve(FILE);
        this.every = every;
    }

    /** A checkpoint read back: the network (with updater state) and the loop state. */
    record Saved(MultiLayerNetwork network, TrainingState state) {
    }

    /** JSON form of the state; doubles survive the round trip exactly (Jackson writes the shortest exact form). */
    private record StateJson(int epochsDone, double bestValue, int bestEpoch, int sinceBest, List<EpochRecord> history) {
    }

    /** Called after every whole epoch. */
    void epochDone(MultiLayerNetwork net, TrainingState state) {
        pending = serialize(net, state);
        if (every > 0 && state.epochsDone % every == 0) {
            flush();
        }
    }

    /** Writes the last whole epoch's snapshot if it is not on disk yet (on interrupt, and when training fails). */
    public void flush() {
        byte[] bytes = pending;
        if (bytes != null) {
            AtomicFiles.write(file, bytes);
            pending = null;
        }
    }

    private static byte[] serialize(MultiLayerNetwork net, TrainingState state) {
        try {
            ByteArrayOutputStream network = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, network, true);
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip)) {
                put(out, NETWORK, network.toByteArray());
                put(out, STATE, JSON.writeValueAsBytes(new StateJson(state.epochsDone, state.bestValue, state.bestEpoch,
                        state.sinceBest, state.history)));
                if (state.bestParams != null) {
                    ByteArrayOutputStream best = new ByteArrayOutputStream();
                    Nd4j.write(state.bestParams, new DataOutputStream(best));
                    put(out, BEST, best.toByteArray());
                }
            }
            return zip.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a checkpoint: " + e.getMessage(), e);
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** Reads the checkpoint of a run directory; a missing or unreadable one is bad input for {@code --resume}. */
    static Saved read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(dir + ": no " + FILE + " to resume from (the run stopped before its first checkpoint,"
                    + " or training.checkpointEvery was 0 and it was killed without a chance to write one)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, byte[]> entries = new HashMap<>();
            zip.stream().forEach(e -> {
                try {
                    entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            if (!entries.containsKey(NETWORK) || !entries.containsKey(STATE)) {
                throw new BadInputException(file + ": not an rnnkit checkpoint (needs " + NETWORK + " and " + STATE + ")");
            }
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(entries.get(NETWORK)), true);
            StateJson json = JSON.readValue(entries.get(STATE), StateJson.class);
            TrainingState state = new TrainingState();
            state.epochsDone = json.epochsDone();
            state.bestValue = json.bestValue();
            state.bestEpoch = json.bestEpoch();
            state.sinceBest = json.sinceBest();
            state.history.addAll(json.history());
            if (entries.containsKey(BEST)) {
                state.bestParams = Nd4j.read(new DataInputStream(new ByteArrayInputStream(entries.get(BEST))));
            }
            return new Saved(net, state);
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(file + ": cannot read the checkpoint: " + e.getMessage());
        }
    }

    /** The epochs done in a run directory's checkpoint, read from its state alone; -1 when there is none or it is unreadable. */
    public static int epochsDone(Path dir) {
        try (ZipFile zip = new ZipFile(dir.resolve(FILE).toFile())) {
            ZipEntry state = zip.getEntry(STATE);
            if (state == null || state.getSize() > 64L * 1024 * 1024) {
                return -1;
            }
            try (java.io.InputStream in = zip.getInputStream(state)) {
                return JSON.readTree(in).path("epochsDone").asInt(-1);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Bytes a run writes, as a worst case: the checkpoint (parameters, best parameters, and up to two
     * updater-state vectors of the same size for Adam), the bundle, temporary copies of both during their
     * atomic writes, all in float32, plus 4 MB for plots, history and report.
     */
    public static long estimateBytes(long parameters) {
        return parameters * Float.BYTES * 2 * (4 + 1) + 4L * 1024 * 1024;
    }
}
