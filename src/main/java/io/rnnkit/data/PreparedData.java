package io.rnnkit.data;

import io.rnnkit.config.ExperimentConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The splits as normalized tensors, ready for training and evaluation, with the normalizer that made them
 * (null for {@code none}); the normalizer is saved in the bundle so that predictions see the same scaling.
 */
public record PreparedData(SplitData split, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer) {

    /** Tensors of the splits, normalized by a normalizer fitted here on the training split. */
    public static PreparedData of(SplitData split, ExperimentConfig config) {
        DataSet train = tensors(split, split.train());
        DataNormalization normalizer = Normalizers.fit(config.data().normalizer(), train,
                config.task().kind().regresses());
        return normalized(split, train, normalizer);
    }

    /** Tensors of the splits, normalized by a normalizer fitted before (the one saved in a bundle). */
    public static PreparedData with(SplitData split, DataNormalization normalizer) {
        return normalized(split, tensors(split, split.train()), normalizer);
    }

    private static PreparedData normalized(SplitData split, DataSet train, DataNormalization normalizer) {
        DataSet validation = split.validation().size() == 0 ? null : tensors(split, split.validation());
        DataSet test = tensors(split, split.test());
        if (normalizer != null) {
            normalizer.transform(train);
            if (validation != null) {
                normalizer.transform(validation);
            }
            normalizer.transform(test);
        }
        return new PreparedData(split, train, validation, test, normalizer);
    }

    /**
     * Forecast windows are measured against their last observation first when the config asks for it; a
     * recursive forecaster learns from them as next-step sequences ({@link ForecastWindowing#teacherForced}).
     */
    private static DataSet tensors(SplitData split, SequenceSet set) {
        SplitData.Forecast forecast = split.forecast();
        SequenceSet seen = forecast == null ? set
                : forecast.recursive() ? ForecastWindowing.teacherForced(set) : ForecastWindowing.relative(set, forecast);
        // next-token targets over a vocabulary go in as indices, for DL4J's sparse cross-entropy
        return Tensors.dataSet(seen, split.outputs(), split.vocabulary() != null);
    }

    /** The named split ({@code train}, {@code validation} or {@code test}), or null when it is empty. */
    public DataSet split(String name) {
        return switch (name) {
            case "train" -> train;
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("no split '" + name + "'; expected train, validation or test");
        };
    }
}
