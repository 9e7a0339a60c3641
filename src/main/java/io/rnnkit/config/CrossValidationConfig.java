package io.rnnkit.config;

@Doc("K-fold cross-validation on the training data (issue 22): each fold trains on the other folds and is validated on its own;"
        + " the epoch with the best mean (smoothed) validation metric across the folds is chosen, and the model is then fitted on all"
        + " the training data for that many epochs. The test split is never touched. Folds are stratified by class for classification"
        + " and seeded; series forecasting is refused (folds of overlapping windows from one series would leak the future).")
public record CrossValidationConfig(
        @Doc("Number of folds; 0: off (the validation split chooses the epoch).") @Default("0") @Range(min = 0, max = 100) int folds) {
    public CrossValidationConfig {
        Constraints.check(CrossValidationConfig.class, folds);
    }

    public boolean enabled() {
        return folds > 0;
    }
}
