package io.rnnkit.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.config.HeadConfig;
import io.rnnkit.config.HeadKind;
import io.rnnkit.config.Task;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An ensemble of networks that differ only in their seed ({@code training.ensemble}), and the one place their outputs are
 * combined. The combining happens on the networks' outputs, before the {@link Predictor} turns them into answers, so
 * evaluation, {@code rnnkit predict}, {@code evaluate}, {@code serve} and {@link RnnModel} all see the same combined model:
 * <ul>
 *   <li>class probabilities (a classifier, a per-step tagger at each step) and values (a regressor, a point forecaster, a
 *       per-step or vector-to-sequence model at each step, a recursive forecaster at each fed-back step) are averaged;
 *       values are averaged in the scale the networks were trained in, which the affine normalizers map back unchanged;</li>
 *   <li>a quantile head's quantiles are averaged level by level (Vincentization), then sorted within each target's group, so
 *       they stay monotone whatever rounding does;</li>
 *   <li>a Gaussian head becomes the Gaussian with the mixture's mean and variance: μ = mean of μᵢ,
 *       σ² = mean of (σᵢ² + μᵢ²) − μ² (the members' spread adds to their own).</li>
 * </ul>
 * Generators, translators and anomaly detectors refuse ensembles ({@link Task#ensembleBlocker()}).
 */
public final class Ensemble {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private Ensemble() {
    }

    /**
     * A member as {@value BundleFormat#ENSEMBLE} records it.
     *
     * @param test its own figures on the test split, as its run's metrics.json has them
     */
    public record Member(long seed, int bestEpoch, Map<String, Double> test) {
        public Member {
            test = test == null ? Map.of() : Map.copyOf(test);
        }
    }

    /** The members of a saved ensemble: the networks of members 1 … K−1 (member 0's is the bundle's own) and every member's record. */
    public record Saved(List<MultiLayerNetwork> others, List<Member> members) {
        public Saved {
            others = List.copyOf(others);
            members = List.copyOf(members);
            if (members.size() != others.size() + 1) {
                throw new IllegalArgumentException(members.size() + " member records for " + (others.size() + 1) + " networks");
            }
        }
    }

    /** The root of {@value BundleFormat#ENSEMBLE}. */
    record Entry(List<Member> members) {
    }

    /**
     * The members' outputs for one batch combined as the task's outputs combine (see the class comment); one output is
     * returned as it is. Every output has the same shape: {@code [n, k]} or {@code [n, k, T]}.
     */
    public static INDArray combine(Task task, List<INDArray> outputs) {
        if (outputs.size() == 1) {
            return outputs.get(0);
        }
        HeadConfig head = task.head();
        if (head.type() == HeadKind.GAUSSIAN) {
            return mixture(outputs);
        }
        INDArray mean = outputs.get(0).dup();
        for (int m = 1; m < outputs.size(); m++) {
            mean.addi(outputs.get(m));
        }
        mean.divi(outputs.size());
        if (head.type() == HeadKind.QUANTILE) {
            sortGroups(mean, head.groupSize());
        }
        return mean;
    }

    /** How the task's outputs combine, for {@code rnnkit inspect}. */
    public static String describe(Task task) {
        return switch (task.head().type()) {
            case QUANTILE -> "each quantile averaged, then sorted";
            case GAUSSIAN -> "the Gaussians' mixture mean and variance";
            case POINT -> task.isClassification() ? "class probabilities averaged" + (task.networkAnswersEveryStep() ? " at every step" : "")
                    : "values averaged" + (task.networkAnswersEveryStep() ? " at every step" : "");
        };
    }

    /** Each row's groups of {@code size} quantiles sorted ascending ({@code [n, targets · size]}). */
    private static void sortGroups(INDArray rows, int size) {
        float[] group = new float[size];
        for (long i = 0; i < rows.size(0); i++) {
            for (long base = 0; base < rows.size(1); base += size) {
                for (int l = 0; l < size; l++) {
                    group[l] = rows.getFloat(i, base + l);
                }
                Arrays.sort(group);
                for (int l = 0; l < size; l++) {
                    rows.putScalar(new long[]{i, base + l}, group[l]);
                }
            }
        }
    }

    /** Rows of (mean, scale) pairs {@code [n, 2 · targets]}: the moments of the equal-weight mixture of the members' Gaussians. */
    private static INDArray mixture(List<INDArray> outputs) {
        INDArray out = outputs.get(0).dup();
        int k = outputs.size();
        for (long i = 0; i < out.size(0); i++) {
            for (long base = 0; base < out.size(1); base += 2) {
                double mean = 0;
                double second = 0;
                for (INDArray o : outputs) {
                    double mu = o.getDouble(i, base);
                    double sigma = o.getDouble(i, base + 1);
                    mean += mu;
                    second += sigma * sigma + mu * mu;
                }
                mean /= k;
                double variance = Math.max(0, second / k - mean * mean);
                out.putScalar(new long[]{i, base}, mean);
                out.putScalar(new long[]{i, base + 1}, Math.sqrt(variance));
            }
        }
        return out;
    }

    /** The entries of the members beyond member 0 and {@value BundleFormat#ENSEMBLE}. */
    static void write(Saved ensemble, Map<String, byte[]> entries) throws IOException {
        entries.put(BundleFormat.ENSEMBLE, JSON.writeValueAsBytes(new Entry(ensemble.members())));
        for (int i = 0; i < ensemble.others().size(); i++) {
            entries.put(BundleFormat.member(i + 1), NetworkCodec.array(ensemble.others().get(i).params()));
        }
    }

    /**
     * The ensemble a verified bundle holds, or null for a bundle of one network. Its members must be exactly those
     * {@value BundleFormat#ENSEMBLE} lists (none missing, none beyond), at most {@link BundleFormat#MAX_MEMBERS}, as many as
     * the saved config's {@code training.ensemble.members}, each with as many parameters as the shared network configuration.
     */
    static Saved read(SavedFile file, MultiLayerConfiguration conf, int configured) {
        String source = file.source();
        String where = source + "!/" + BundleFormat.ENSEMBLE;
        if (!file.has(BundleFormat.ENSEMBLE)) {
            for (int i = 1; i < BundleFormat.MAX_MEMBERS; i++) {
                if (file.has(BundleFormat.member(i))) {
                    throw new BundleIntegrityException(source + ": holds the ensemble member " + BundleFormat.member(i) + " but no "
                            + BundleFormat.ENSEMBLE + ": a modified or damaged bundle");
                }
            }
            if (configured > 1) {
                throw new BundleIntegrityException(source + ": its config trains an ensemble of " + configured + " networks, but "
                        + BundleFormat.ENSEMBLE + " is missing: a modified or damaged bundle");
            }
            return null;
        }
        Entry entry;
        try {
            entry = JSON.readValue(file.bytes(BundleFormat.ENSEMBLE), Entry.class);
        } catch (IOException | RuntimeException e) {
            throw new BundleIntegrityException(where + ": unreadable ensemble: " + e.getMessage(), e);
        }
        List<Member> members = entry == null || entry.members() == null ? List.of() : entry.members();
        if (members.size() < 2 || members.size() > BundleFormat.MAX_MEMBERS) {
            throw new BundleIntegrityException(where + ": an ensemble of " + members.size() + " members; a bundle holds 2 to "
                    + BundleFormat.MAX_MEMBERS);
        }
        if (members.size() != configured) {
            throw new BundleIntegrityException(where + ": lists " + members.size() + " members, but the config's"
                    + " training.ensemble.members is " + configured + ": a modified or damaged bundle");
        }
        for (int i = 1; i < BundleFormat.MAX_MEMBERS; i++) {
            boolean listed = i < members.size();
            if (listed != file.has(BundleFormat.member(i))) {
                throw new BundleIntegrityException(source + ": " + (listed
                        ? "ensemble member " + i + " of " + members.size() + " (" + BundleFormat.member(i) + ") is missing"
                        : "holds " + BundleFormat.member(i) + ", a member beyond the " + members.size() + " that "
                        + BundleFormat.ENSEMBLE + " lists") + ": a modified or damaged bundle");
            }
        }
        long expected = NetworkCodec.parameterCount(conf);
        List<MultiLayerNetwork> others = new ArrayList<>();
        for (int i = 1; i < members.size(); i++) {
            String name = BundleFormat.member(i);
            INDArray params = NetworkCodec.readArray(file.bytes(name), source + "!/" + name);
            if (params.length() != expected) {
                throw new BundleIntegrityException(source + ": ensemble member " + i + " (" + name + ") has " + params.length()
                        + " parameters, and the network every member shares has " + expected + ": members must have one shape");
            }
            others.add(NetworkCodec.network(conf.clone(), params, source));
        }
        return new Saved(others, members);
    }
}
