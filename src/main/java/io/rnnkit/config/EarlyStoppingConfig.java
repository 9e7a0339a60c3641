package io.rnnkit.config;

@Doc("Choosing the epoch on the validation split.")
public record EarlyStoppingConfig(
        @Doc("Validation metric that picks the best epoch: loss, accuracy, f1 (classification), mae, rmse (regression).") @Default("loss") Metric metric,
        @Doc("Stop after this many epochs without improvement; 0 trains all epochs.") @Default("0") @Range(min = 0) int patience,
        @Doc("Keep the parameters of the best epoch rather than the last.") @Default("true") boolean restoreBest) {
    public EarlyStoppingConfig {
        Constraints.check(EarlyStoppingConfig.class, metric, patience, restoreBest);
    }
}
