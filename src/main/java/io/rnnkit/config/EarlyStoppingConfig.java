package io.rnnkit.config;

@Doc("Choosing the epoch on the validation split.")
public record EarlyStoppingConfig(
        @Doc("Validation metric that picks the best epoch: loss, accuracy, f1 (classification), mae, rmse (regression).") @Default("loss") Metric metric,
        @Doc("Stop after this many epochs without improvement; 0 trains all epochs.") @Default("0") @Range(min = 0) int patience,
        @Doc("Keep the parameters of the best epoch rather than the last.") @Default("true") boolean restoreBest,
        @Doc("Judge each epoch by the mean of the validation metric over the last this many epochs (a moving average, fewer at the"
                + " start), so one lucky epoch on a small validation split is not taken for the best; equal values go to the epoch with"
                + " the lower (equally smoothed) validation loss. 1: the epoch's own value, an equal one keeping the earlier epoch (as rnnkit always chose).")
        @Default("1") @Range(min = 1, max = 1000) int smoothing) {
    public EarlyStoppingConfig {
        Constraints.check(EarlyStoppingConfig.class, metric, patience, restoreBest, smoothing);
    }
}
