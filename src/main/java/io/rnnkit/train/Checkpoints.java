package io.rnnkit.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.AtomicFiles;
import io.rnnkit.BadInputException;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.BundleIntegrityException;
import io.rnnkit.bundle.NetworkCodec;
import io.rnnkit.bundle.SavedFile;
import io.rnnkit.nn.layers.LayerThreads;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resumable checkpoints in a run directory: {@code checkpoint.zip} holds the network with its updater state
 * (DL4J's ModelSerializer entries, whose configuration also keeps the iteration and epoch counters Adam's bias
 * correction depends on), the best epoch's parameters and {@link TrainingState} as JSON, under a manifest of
 * their checksums ({@link BundleFormat.Kind#CHECKPOINT}). It is read like a bundle: verified from its bytes,
 * restored by rnnkit's readers, never deserialized as Java objects. It is written atomically, so a kill -9
 * during the write leaves the previous checkpoint intact.
 *
 * <p>After every epoch a snapshot is serialized; it goes to disk every {@code every} epochs, and otherwise
 * waits in memory so that an interrupt (Ctrl-C, SIGTERM) can write the last whole epoch at once rather than
 * a state in the middle of an epoch, which could not be resumed exactly.
 */
public final class Checkpoints {
    public static final String FILE = "checkpoint.zip";
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
    /** @param layerThreads the layer thread count the epochs ran with ({@link LayerThreads}); null in older checkpoints */
    private record StateJson(int epochsDone, double bestValue, int bestEpoch, int sinceBest, List<EpochRecord> history,
                             Double plateauBest, Integer plateauSince, Double learningRateScale, Integer layerThreads) {
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
            Map<String, byte[]> entries = new LinkedHashMap<>(NetworkCodec.entries(net, true));
            entries.put(BundleFormat.TRAINING_STATE, JSON.writeValueAsBytes(new StateJson(state.epochsDone, state.bestValue,
                    state.bestEpoch, state.sinceBest, state.history, state.plateauBest, state.plateauSince, state.learningRateScale,
                    LayerThreads.get())));
            if (state.bestParams != null) {
                entries.put(BundleFormat.BEST_PARAMETERS, NetworkCodec.array(state.bestParams));
            }
            if (state.averageSum != null) {
                entries.put(BundleFormat.AVERAGE_PARAMETERS, NetworkCodec.array(state.averageSum));
            }
            return SavedFile.write(entries, BundleFormat.Kind.CHECKPOINT, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a checkpoint: " + e.getMessage(), e);
        }
    }

    /** Reads the checkpoint of a run directory; a missing or unreadable one is bad input for {@code --resume}. */
    static Saved read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(dir + ": no " + FILE + " to resume from (the run stopped before its first checkpoint,"
                    + " or training.checkpointEvery was 0 and it was killed without a chance to write one)");
        }
        SavedFile saved;
        try {
            saved = SavedFile.read(file, BundleFormat.Kind.CHECKPOINT);
        } catch (BundleIntegrityException e) {
            if (e.getMessage().contains("'network.zip'")) { // the nested layout of rnnkit before format 4, without checksums
                throw new BundleIntegrityException(file + ": a checkpoint of an earlier rnnkit, which kept no checksums and cannot be"
                        + " verified; start the run again", e);
            }
            throw e;
        }
        MultiLayerNetwork net = NetworkCodec.restore(saved, true);
        StateJson json;
        try {
            json = JSON.readValue(saved.bytes(BundleFormat.TRAINING_STATE), StateJson.class);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the checkpoint's training state: " + e.getMessage());
        }
        TrainingState state = new TrainingState();
        state.epochsDone = json.epochsDone();
        state.bestValue = json.bestValue();
        state.bestEpoch = json.bestEpoch();
        state.sinceBest = json.sinceBest();
        state.history.addAll(json.history());
        if (json.learningRateScale() != null) { // absent from the checkpoints of rnnkit before reduce-on-plateau
            state.plateauBest = json.plateauBest();
            state.plateauSince = json.plateauSince();
            state.learningRateScale = json.learningRateScale();
        }
        state.layerThreads = json.layerThreads();
        if (saved.has(BundleFormat.BEST_PARAMETERS)) {
            state.bestParams = parameters(saved, BundleFormat.BEST_PARAMETERS, file, net, "the best epoch's parameters");
        }
        if (saved.has(BundleFormat.AVERAGE_PARAMETERS)) {
            state.averageSum = parameters(saved, BundleFormat.AVERAGE_PARAMETERS, file, net, "the parameters being averaged");
        }
        return new Saved(net, state);
    }

    /** A parameter vector of the checkpoint, which must fit the network. */
    private static INDArray parameters(SavedFile saved, String entry, Path file, MultiLayerNetwork net, String what) {
        INDArray params = NetworkCodec.readArray(saved.bytes(entry), file + "!/" + entry);
        if (params.length() != net.numParams()) {
            throw new BadInputException(file + ": " + what + " do not fit the network (" + params.length() + " of " + net.numParams() + ")");
        }
        return params;
    }

    /** The epochs done in a run directory's checkpoint, read from its state alone; -1 when there is none or it is unreadable. */
    public static int epochsDone(Path dir) {
        try {
            // the same checked read as --resume: a checkpoint that fails its checksums tells nothing
            SavedFile saved = SavedFile.read(dir.resolve(FILE), BundleFormat.Kind.CHECKPOINT);
            return JSON.readTree(saved.bytes(BundleFormat.TRAINING_STATE)).path("epochsDone").asInt(-1);
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
