package io.rnnkit.data;

import io.rnnkit.config.NormalizerKind;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/** DL4J normalizers fitted on the training split only (masked steps ignored), so no statistic leaks from evaluation data. */
public final class Normalizers {
    private Normalizers() {
    }

    /** The fitted normalizer, or null for {@code none}. Regression targets are scaled too, and reverted for metrics. */
    public static DataNormalization fit(NormalizerKind kind, DataSet train, boolean scaleTargets) {
        return fit(kind, scaleTargets, n -> n.fit(train));
    }

    /** The same over the minibatches of an iterator (its statistics merged batch by batch). */
    public static DataNormalization fit(NormalizerKind kind, org.nd4j.linalg.dataset.api.iterator.DataSetIterator train, boolean scaleTargets) {
        return fit(kind, scaleTargets, n -> n.fit(train));
    }

    private static DataNormalization fit(NormalizerKind kind, boolean scaleTargets, java.util.function.Consumer<DataNormalization> fit) {
        DataNormalization normalizer = switch (kind) {
            case STANDARDIZE -> new NormalizerStandardize();
            case MIN_MAX -> new NormalizerMinMaxScaler();
            case NONE -> null;
        };
        if (normalizer != null) {
            normalizer.fitLabel(scaleTargets);
            fit.accept(normalizer);
        }
        return normalizer;
    }
}
