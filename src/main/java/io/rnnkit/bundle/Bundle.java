package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.AtomicFiles;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.data.Categories;
import io.rnnkit.data.MissingFills;
import io.rnnkit.data.PanelSeries;
import io.rnnkit.data.SplitData;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saved model (docs/architecture.md, "The bundle format"): one zip in DL4J's ModelSerializer layout (so DL4J's own tools still open
 * it) with rnnkit's entries under {@code rnnkit/}: the resolved config, the input contract, the provenance, a series model's categories
 * and missing-value fills, and a
 * manifest holding the format version and the SHA-256 of every other entry, optionally signed. Written to a
 * temporary file beside the target and moved into place, so a crash never leaves a half-written bundle where a
 * good one stood. The entries and format versions are defined in {@link BundleFormat}.
 *
 * <p>A bundle is data, never code: it is read once from its bytes and verified ({@link SavedFile}), and the
 * network, the normalizer and the JSON are restored from those verified bytes by rnnkit's own readers; no entry is
 * deserialized as Java objects and no class named in the file is loaded unless it is DL4J's, ND4J's or rnnkit's.
 */
public record Bundle(MultiLayerNetwork network, DataNormalization normalizer, ExperimentConfig config, InputContract contract,
                     Provenance provenance, Categories categories, MissingFills fills, PanelSeries series, AnomalyCalibration anomaly,
                     Ensemble.Saved ensemble) {
    public Bundle {
        categories = categories == null ? new Categories(Map.of()) : categories;
    }

    /** A bundle of one network. */
    public Bundle(MultiLayerNetwork network, DataNormalization normalizer, ExperimentConfig config, InputContract contract,
                  Provenance provenance, Categories categories, MissingFills fills, PanelSeries series, AnomalyCalibration anomaly) {
        this(network, normalizer, config, contract, provenance, categories, fills, series, anomaly, null);
    }

    /** A bundle of a model of one series, or of data that is not a series, without missing-value fills, that detects no anomalies. */
    public Bundle(MultiLayerNetwork network, DataNormalization normalizer, ExperimentConfig config, InputContract contract,
                  Provenance provenance, Categories categories) {
        this(network, normalizer, config, contract, provenance, categories, null, null, null);
    }

    /** A bundle of a model without categorical columns. */
    public Bundle(MultiLayerNetwork network, DataNormalization normalizer, ExperimentConfig config, InputContract contract,
                  Provenance provenance) {
        this(network, normalizer, config, contract, provenance, null, null, null, null);
    }

    /** Every network the model answers with: its own, then an ensemble's other members. */
    public List<MultiLayerNetwork> networks() {
        List<MultiLayerNetwork> all = new ArrayList<>();
        all.add(network);
        if (ensemble != null) {
            all.addAll(ensemble.others());
        }
        return all;
    }

    /** Why the model cannot be fed one step at a time (a bidirectional layer, an ensemble), or null when it can. */
    public String streamBlocker() {
        return ensemble != null
                ? "an ensemble of " + (ensemble.others().size() + 1) + " networks answers whole sequences (a stream would step each member's state)"
                : io.rnnkit.nn.StepNetworks.blocker(network.getLayerWiseConfigurations());
    }

    /** The predictor of this bundle's networks for one caller (evaluation), on the data of {@code split}. */
    public Predictor predictor(SplitData split) {
        return Predictor.on(networks(), config, normalizer, series, split);
    }

    /** {@link BundleFormat#VERSION}, kept here for callers of earlier releases. */
    public static final int FORMAT_VERSION = BundleFormat.VERSION;
    static final String MANIFEST = BundleFormat.MANIFEST;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the bundle to {@code target} atomically, unsigned. */
    public void write(Path target) {
        write(target, null);
    }

    /**
     * Writes the bundle to {@code target} atomically: DL4J's entries first, in ModelSerializer's layout, then
     * rnnkit's, then the manifest with the SHA-256 of everything before it, then, with a {@code key}, the manifest's
     * Ed25519 signature.
     */
    public void write(Path target, PrivateKey key) {
        Map<String, byte[]> entries = new LinkedHashMap<>(NetworkCodec.entries(network, false));
        if (normalizer != null) {
            entries.put(BundleFormat.NORMALIZER, NormalizerCodec.write(normalizer));
        }
        try {
            entries.put(BundleFormat.CONFIG, YamlTrees.toYaml(config).getBytes(StandardCharsets.UTF_8));
            entries.put(BundleFormat.CONTRACT, JSON.writeValueAsBytes(contract));
            entries.put(BundleFormat.PROVENANCE, JSON.writeValueAsBytes(provenance));
            if (!categories.byColumn().isEmpty()) {
                entries.put(BundleFormat.CATEGORIES, LearntEntries.write(categories));
            }
            if (fills != null) {
                entries.put(BundleFormat.MISSING, LearntEntries.write(fills));
            }
            if (series != null) {
                entries.put(BundleFormat.SERIES, JSON.writeValueAsBytes(series.toMap()));
            }
            if (anomaly != null) {
                entries.put(BundleFormat.ANOMALY, JSON.writeValueAsBytes(anomaly));
            }
            if (ensemble != null) {
                Ensemble.write(ensemble, entries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(target, SavedFile.write(entries, BundleFormat.Kind.BUNDLE, key));
    }

    /** A bundle as read, with the manifest it was verified against (which says its format version) and its signer, or null. */
    public record Loaded(Bundle bundle, Manifest manifest, BundleSignature.Signer signer) {
    }

    /** Reads and verifies a bundle; every fault is a {@link BundleException} naming the file and what is wrong. */
    public static Bundle read(Path file) {
        return load(file).bundle();
    }

    /** {@link #read}, keeping the manifest. */
    public static Loaded load(Path file) {
        return load(SavedFile.read(file, BundleFormat.Kind.BUNDLE));
    }

    /** Reads a bundle from a stream (a class-path resource, a download), read to its end; messages call it {@code source}. */
    public static Loaded load(InputStream in, String source) {
        return load(SavedFile.read(in, source, BundleFormat.Kind.BUNDLE));
    }

    /** Restores a verified bundle: its config, contract and provenance, then the network, checked against the contract. */
    static Loaded load(SavedFile file) {
        String source = file.source();
        String yaml = new String(file.bytes(BundleFormat.CONFIG), StandardCharsets.UTF_8);
        ExperimentConfig config;
        try {
            config = ConfigLoader.parseSaved(yaml, source + "!/" + BundleFormat.CONFIG);
        } catch (ConfigException e) {
            throw new BundleException(source + ": its config does not load in this rnnkit: " + e.getMessage(), e);
        }
        InputContract contract;
        Provenance provenance;
        try {
            byte[] contractJson = file.bytes(BundleFormat.CONTRACT);
            contract = file.manifest().formatVersion() == 1
                    ? FormatVersion1.upgrade(JSON.readValue(contractJson, FormatVersion1.Contract.class), config)
                    : JSON.readValue(contractJson, InputContract.class);
            provenance = JSON.readValue(file.bytes(BundleFormat.PROVENANCE), Provenance.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(source + ": unreadable contract or provenance: " + e.getMessage(), e);
        }
        Categories categories = file.has(BundleFormat.CATEGORIES)
                ? LearntEntries.categories(file.bytes(BundleFormat.CATEGORIES), source, contract) : null;
        MissingFills fills = file.has(BundleFormat.MISSING)
                ? LearntEntries.fills(file.bytes(BundleFormat.MISSING), source, contract, config.data().missing()) : null;
        AnomalyCalibration anomaly = anomaly(file, config);
        MultiLayerConfiguration conf = NetworkCodec.configuration(file);
        DataNormalization normalizer = file.has(BundleFormat.NORMALIZER)
                ? NormalizerCodec.read(file.bytes(BundleFormat.NORMALIZER), source + "!/" + BundleFormat.NORMALIZER) : null;
        ContractCheck.check(source, contract, conf, normalizer, io.rnnkit.config.Task.of(config).head().groupSize());
        PanelSeries series = file.has(BundleFormat.SERIES) ? series(file, contract) : null;
        if (series == null && config.data().series().normalizerScope() == io.rnnkit.config.NormalizerScope.PER_SERIES
                && config.data().series().panel()) {
            throw new BundleIntegrityException(source + ": the config scales each series by its own statistics, but the bundle has no "
                    + BundleFormat.SERIES + ": a modified or damaged bundle");
        }
        MultiLayerNetwork network = NetworkCodec.restore(file, conf, false);
        Ensemble.Saved ensemble = Ensemble.read(file, conf, config.training().ensemble().members());
        return new Loaded(new Bundle(network, normalizer, config, contract, provenance, categories, fills, series, anomaly, ensemble),
                file.manifest(), file.signer());
    }

    /**
     * An anomaly detector's calibration: present exactly when the saved config makes a detector, and within its
     * bounds (finite, a positive spread), else the bundle is refused as modified or damaged.
     */
    private static AnomalyCalibration anomaly(SavedFile file, ExperimentConfig config) {
        String where = file.source() + "!/" + BundleFormat.ANOMALY;
        boolean detector = io.rnnkit.config.Task.of(config).detectsAnomalies();
        if (detector != file.has(BundleFormat.ANOMALY)) {
            throw new BundleIntegrityException(detector ? file.source() + ": its config makes an anomaly detector, but "
                    + BundleFormat.ANOMALY + " (its threshold and score normalization) is missing: a modified or damaged bundle"
                    : where + ": the calibration of an anomaly detector, but the config makes no detector: a modified or damaged bundle");
        }
        if (!detector) {
            return null;
        }
        try {
            return JSON.readerFor(AnomalyCalibration.class).with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .readValue(file.bytes(BundleFormat.ANOMALY));
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException v && v.getCause() != null
                    ? v.getCause().getMessage() : e.getMessage();
            throw new BundleIntegrityException(where + ": unreadable anomaly calibration: " + reason, e);
        }
    }

    /** The series of a model of many series, each scaler checked against the contract's features and outputs. */
    private static PanelSeries series(SavedFile file, InputContract contract) {
        String entry = file.source() + "!/" + BundleFormat.SERIES;
        try {
            // decimals read exactly, so that each is rounded once to the float that was written
            Map<String, Object> tree = JSON.readerFor(new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { })
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readValue(file.bytes(BundleFormat.SERIES));
            return PanelSeries.fromMap(tree, contract.features(), contract.outputs());
        } catch (IOException | IllegalArgumentException e) {
            throw new BundleIntegrityException(entry + ": " + e.getMessage(), e);
        }
    }

    /** The manifest, after checking the format version and every entry's checksum (and the signature, if any). */
    public static Manifest verify(Path file) {
        return SavedFile.read(file, BundleFormat.Kind.BUNDLE).manifest();
    }

    /** The bundle's table of contents. */
    public record Manifest(String format, int formatVersion, Map<String, String> entries) {
    }
}
