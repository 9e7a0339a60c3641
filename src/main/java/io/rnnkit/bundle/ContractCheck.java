package io.rnnkit.bundle;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's contract must describe its network: the widths the contract promises are the ones the network and
 * the normalizer have, so a bundle whose parts disagree is refused at load rather than failing inside a call
 * with an index error.
 */
final class ContractCheck {
    private ContractCheck() {
    }

    /** @param groupSize the network's outputs per contract output (a probabilistic head's group, {@code model.head}) */
    static void check(String source, InputContract c, MultiLayerConfiguration conf, DataNormalization normalizer, int groupSize) {
        List<String> faults = new ArrayList<>();
        if (c.features() < 1 || c.featureNames().size() != c.features()) {
            faults.add(c.features() + " feature(s) but " + c.featureNames().size() + " feature name(s)");
        }
        if (c.outputs() < 1 || c.isClassification() && c.classes().size() != c.outputs()) {
            faults.add(c.outputs() + " output(s) but " + c.classes().size() + " class(es)");
        }
        if (c.maxLength() < 1 || c.minLength() > c.maxLength()) {
            faults.add("lengths " + c.minLength() + "–" + c.maxLength());
        }
        if (c.forecast() != null && (c.forecast().targetFeature() < 0 || c.forecast().targetFeature() >= c.features()
                || c.forecast().lookback() < 1 || c.forecast().horizon() < 1)) {
            faults.add("a forecast of feature " + c.forecast().targetFeature() + " over " + c.forecast().lookback() + " → "
                    + c.forecast().horizon() + " steps");
        }
        long[] widths = NetworkCodec.widths(conf);
        long input = c.vocabulary() != null ? c.vocabulary().size() : c.features();
        if (widths[0] >= 0 && widths[0] != input) {
            faults.add("the network reads " + widths[0] + " values per step, the contract " + input
                    + (c.vocabulary() != null ? " (its vocabulary)" : ""));
        }
        if (widths[1] >= 0 && widths[1] != (long) c.outputs() * groupSize) {
            faults.add("the network returns " + widths[1] + " values, the contract " + c.outputs()
                    + (groupSize > 1 ? " × " + groupSize + " (its head's outputs per value)" : ""));
        }
        if (normalizer != null && NormalizerCodec.features(normalizer) != c.features()) {
            faults.add("the normalizer scales " + NormalizerCodec.features(normalizer) + " feature(s), the contract has " + c.features());
        }
        if (!faults.isEmpty()) {
            throw new BundleIntegrityException(source + ": its contract does not describe its network: " + String.join("; ", faults));
        }
    }
}
