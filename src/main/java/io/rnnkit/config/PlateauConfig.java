package io.rnnkit.config;

@Doc("Reduce-on-plateau: lower the learning rate when the validation metric (training.earlyStopping.metric) stops improving.")
public record PlateauConfig(
        @Doc("Epochs without a better validation metric before the rate is multiplied by factor; 0: off.") @Default("0") @Range(min = 0, max = 100000) int patience,
        @Doc("What the rate is multiplied by at each reduction.") @Default("0.5") @Range(min = 0, max = 1, minExclusive = true, maxExclusive = true) double factor,
        @Doc("The reductions stop here: they never take the rate below this (a schedule alone may).") @Default("0") @Range(min = 0) double minLearningRate) {
    public PlateauConfig {
        Constraints.check(PlateauConfig.class, patience, factor, minLearningRate);
    }

    public boolean enabled() {
        return patience > 0;
    }
}
