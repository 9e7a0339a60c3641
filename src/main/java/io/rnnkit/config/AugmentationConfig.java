package io.rnnkit.config;

@Doc("Random distortions of the training sequences, drawn afresh for every minibatch of every epoch (seeded from"
        + " seed and epoch, so a resumed run sees the same ones) and applied to the training split only, after the"
        + " normalizer: validation, test and predictions read the data as it is. For small training sets (such as the"
        + " UCR archive's); all 0 (the default) trains on the sequences unchanged.")
public record AugmentationConfig(
        @Doc("Standard deviation of Gaussian noise added to every value.") @Default("0") @Range(min = 0) double jitter,
        @Doc("Standard deviation of a factor around 1 that multiplies each feature of a sequence, one factor per sequence and feature.")
        @Default("0") @Range(min = 0) double scaling,
        @Doc("Standard deviation of a smooth factor around 1 that multiplies each feature over time: drawn at the knots,"
                + " interpolated linearly between them.") @Default("0") @Range(min = 0) double magnitudeWarp,
        @Doc("Standard deviation of the local speed (around 1) at the knots of a smooth distortion of time; the sequence is"
                + " resampled by linear interpolation and keeps its length, start and end. Many-to-one tasks only.")
        @Default("0") @Range(min = 0) double timeWarp,
        @Doc("Interior knots of magnitudeWarp and timeWarp: more knots, more local distortion.") @Default("4") @Range(min = 1, max = 1000) int knots) {
    public AugmentationConfig {
        Constraints.check(AugmentationConfig.class, jitter, scaling, magnitudeWarp, timeWarp, knots);
    }

    /** Whether any distortion is on. */
    public boolean any() {
        return jitter > 0 || scaling > 0 || magnitudeWarp > 0 || timeWarp > 0;
    }
}
