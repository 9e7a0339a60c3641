package io.rnnkit.bundle;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one definition of rnnkit's saved files (docs/architecture.md, "The bundle format"): the format version, which entries a
 * bundle ({@code model.zip}) and a checkpoint ({@code checkpoint.zip}) may hold, which they must hold, and the
 * size limits a reader enforces. A name not listed here is refused, whatever the manifest says; an issue that
 * adds an entry adds it here, with a new version when an older rnnkit could not read the result.
 *
 * <p>Format versions, each still read:
 * <ol>
 *   <li>the layout below, without {@code updaterState.bin} and the signature;</li>
 *   <li>the contract adds feature names, the fixed-length flag and a forecaster's windows; the provenance adds
 *       the config's git commit ({@link FormatVersion1} recovers what it can of these for version 1);</li>
 *   <li>the contract adds the input vocabulary of a model that reads symbols and a forecaster's strategy (direct
 *       or recursive); a version-2 contract reads them as absent: no vocabulary, direct forecasts;</li>
 *   <li>the optional signature {@value #SIGNATURE} (an older rnnkit would call it an unlisted entry, hence the
 *       new version); checkpoints carry the same manifest as bundles.</li>
 *   <li>the optional {@value #CATEGORIES} of a series model with categorical columns (an older rnnkit would refuse
 *       the entry, and without it could not read the raw text).</li>
 *   <li>the optional {@value #SERIES} of a model trained on many series of one file: their ids and, with a per-series
 *       normalizer, each series' scaling (an older rnnkit would refuse the entry, and without it could not scale).</li>
 *   <li>the optional {@value #MISSING}: the fill values a series' missing-value policies learnt in training, so predict
 *       fills a raw file's markers as training did; a categorical column's categories end with {@code <other>}, its
 *       own feature for a category unseen in training (format 5 read it as all zeros).</li>
 *   <li>an ensemble's {@value #ENSEMBLE} and its members' parameters {@code rnnkit/members/N.bin} (N from 1; member 0
 *       is the bundle's own network), at most {@value #MAX_MEMBERS} members in all.</li>
 *   <li>the contract's optional {@code forecast.covariates}: a forecaster's known-future, static and calendar inputs
 *       and their lead (an older rnnkit would read such a model's windows without the future values).</li>
 *   <li>the network configuration names rnnkit's cells {@code FusedLSTM}, {@code FusedGRU} and {@code FusedSimpleRnn}
 *       (formerly {@code LSTM}, {@code GRU} and {@code SimpleRnn}, which shadowed DL4J's names; earlier bundles' names
 *       are mapped on read by {@code LegacyCellNames}), and the provenance's numerics add the layers' thread count (an
 *       older rnnkit would refuse both the class names and the field, so it gets the version refusal instead).</li>
 * </ol>
 */
public final class BundleFormat {
    /** The version this rnnkit writes; it reads this one and every earlier one. */
    public static final int VERSION = 8;

    /** DL4J's network configuration (JSON), as {@code ModelSerializer} names it. */
    public static final String NETWORK_CONFIG = "configuration.json";
    /** The network's parameters, one ND4J array. */
    public static final String COEFFICIENTS = "coefficients.bin";
    /** The updater's state (Adam's moments), one ND4J array: checkpoints only. */
    public static final String UPDATER_STATE = "updaterState.bin";
    /** The fitted input normalizer, in ND4J's {@code NormalizerSerializer} layout (standardize or min-max only). */
    public static final String NORMALIZER = "normalizer.bin";
    public static final String CONFIG = "rnnkit/config.yaml";
    public static final String CONTRACT = "rnnkit/contract.json";
    public static final String PROVENANCE = "rnnkit/provenance.json";
    /** The categories of a series model's categorical columns, learnt from its training part (JSON: column → categories in feature order; format 5). */
    public static final String CATEGORIES = "rnnkit/categories.json";
    /**
     * An anomaly detector's calibration ({@link AnomalyCalibration}: the training errors' mean and standard deviation,
     * the smoothing, the threshold and the events' minimum gap; JSON; format 6), present exactly when the config makes
     * a detector.
     */
    public static final String ANOMALY = "rnnkit/anomaly.json";
    /**
     * The series of a model trained on many series of one file (JSON: {@code idColumns}, and per series its {@code id}
     * and, with {@code normalizerScope: per-series}, its {@code scaler}; format 6).
     */
    public static final String SERIES = "rnnkit/series.json";
    /**
     * What a series' missing-value policies learnt from its training part, per numeric column: policy and fill value
     * (JSON {@code {"columns": [{"column", "policy", "fill"}]}}; format 6).
     */
    public static final String MISSING = "rnnkit/missing.json";
    /**
     * An ensemble's members, in order: per member its seed, best epoch and test figures (JSON {@code {"members": [{"seed",
     * "bestEpoch", "test"}]}}; format 7), present exactly when the bundle holds more than one network. Its member count says
     * which {@link #member member entries} the bundle must hold, no more and no fewer.
     */
    public static final String ENSEMBLE = "rnnkit/ensemble.json";
    /** The most networks an ensemble bundle holds (member 0 and {@code MAX_MEMBERS - 1} member entries). */
    public static final int MAX_MEMBERS = io.rnnkit.config.EnsembleConfig.MAX_MEMBERS;

    /**
     * Member {@code index}'s parameters (index 1 to {@link #MAX_MEMBERS} − 1; member 0's are {@link #COEFFICIENTS}): one
     * ND4J array for the bundle's {@link #NETWORK_CONFIG}, which every member shares (format 7). Bounded like every entry
     * by {@link #LIMITS}, and all members together by its total.
     */
    public static String member(int index) {
        if (index < 1 || index >= MAX_MEMBERS) {
            throw new IllegalArgumentException("member " + index + " has no entry of its own (1 to " + (MAX_MEMBERS - 1) + ")");
        }
        return "rnnkit/members/" + index + ".bin";
    }

    private static Set<String> memberEntries() {
        Set<String> out = new HashSet<>();
        for (int i = 1; i < MAX_MEMBERS; i++) {
            out.add(member(i));
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    /** Format, version and the SHA-256 of every other entry but the signature. */
    public static final String MANIFEST = "rnnkit/manifest.json";
    /** An Ed25519 signature of the manifest's bytes and the key that made it (format 4). */
    public static final String SIGNATURE = "rnnkit/signature.json";
    /** A checkpoint's training-loop state (epochs done, best value, history), JSON. */
    public static final String TRAINING_STATE = "state.json";
    /** A checkpoint's best epoch's parameters, one ND4J array. */
    public static final String BEST_PARAMETERS = "best.params";
    /** A checkpoint's running sum of the parameters that weight averaging averages, one ND4J array. */
    public static final String AVERAGE_PARAMETERS = "average.params";

    /** What a file is, as its manifest's {@code format} field says. */
    public enum Kind {
        BUNDLE("rnnkit-bundle", Set.of(NETWORK_CONFIG, COEFFICIENTS, CONFIG, CONTRACT, PROVENANCE),
                union(Set.of(NORMALIZER, SIGNATURE, CATEGORIES, ANOMALY, SERIES, MISSING, ENSEMBLE), memberEntries())),
        CHECKPOINT("rnnkit-checkpoint", Set.of(NETWORK_CONFIG, COEFFICIENTS, TRAINING_STATE),
                Set.of(UPDATER_STATE, BEST_PARAMETERS, AVERAGE_PARAMETERS));

        private final String format;
        private final Set<String> required;
        private final Set<String> optional;

        Kind(String format, Set<String> required, Set<String> optional) {
            this.format = format;
            this.required = required;
            this.optional = optional;
        }

        /** The manifest's {@code format} value. */
        public String format() {
            return format;
        }

        /** Entries the manifest must list (the manifest itself and the signature are never listed). */
        public Set<String> required() {
            return required;
        }

        /** Whether {@code name} may appear in a file of this kind at all. */
        public boolean allows(String name) {
            return required.contains(name) || optional.contains(name) || name.equals(MANIFEST);
        }

        /** Every entry name a file of this kind may hold, sorted (for messages and the format document). */
        public Set<String> allowed() {
            Set<String> all = new TreeSet<>(required);
            all.addAll(optional);
            all.add(MANIFEST);
            return all;
        }
    }

    /**
     * Limits a reader enforces before and while inflating, so a crafted file costs bounded memory and time:
     * the file's size, the number of entries, each entry's and all entries' inflated size, and the inflated to
     * compressed ratio of any entry larger than {@code ratioFloor} (random-looking parameters compress barely,
     * JSON and YAML about 5:1; a zip bomb over 1000:1).
     */
    public record Limits(long fileBytes, int entries, long entryBytes, long totalBytes, long ratio, long ratioFloor) {
    }

    /**
     * Sized for the largest networks rnnkit trains on a CPU (about 100 million parameters with Adam's state in a
     * checkpoint); the bytes read stay in memory while the network is restored. The entry count leaves room for an
     * ensemble's member entries beside the 16 a bundle of one network may hold.
     */
    public static final Limits LIMITS = new Limits(1L << 30, 16 + MAX_MEMBERS, 768L << 20, 1L << 30, 100, 1L << 20);

    private BundleFormat() {
    }
}
