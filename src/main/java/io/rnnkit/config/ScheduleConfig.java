package io.rnnkit.config;

@Doc("Learning-rate schedule over epochs.")
public record ScheduleConfig(
        @Doc("constant, step, exponential, inverse or poly.") @Default("constant") ScheduleKind type,
        @Doc("Decay factor (step, exponential) or rate (inverse).") @Default("0.5") @Range(min = 0, minExclusive = true) double decay,
        @Doc("Epochs between decays (step).") @Default("10") @Range(min = 1) int step,
        @Doc("Exponent (inverse, poly).") @Default("1") @Range(min = 0, minExclusive = true) double power) {
    public ScheduleConfig {
        Constraints.check(ScheduleConfig.class, type, decay, step, power);
    }
}
