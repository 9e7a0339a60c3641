package io.rnnkit.config;

@Doc("How the sequences are divided into training, validation and test sets (seeded, so always the same).")
public record SplitConfig(
        @Doc("Fraction of the sequences used for training.") @Default("0.7") @Range(min = 0, max = 1, minExclusive = true) double train,
        @Doc("Fraction used to choose the epoch (early stopping, best-epoch restore).") @Default("0.15") @Range(min = 0, max = 1) double validation,
        @Doc("Fraction held out for the final test; must be 0 when data.testPath gives the test set.") @Default("0.15") @Range(min = 0, max = 1) double test,
        @Doc("Keep each class's share equal in every split (classification).") @Default("true") boolean stratify) {
    public SplitConfig {
        Constraints.check(SplitConfig.class, train, validation, test, stratify);
    }
}
