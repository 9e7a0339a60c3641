package io.rnnkit.config;

@Doc("Learning-rate schedule over epochs, with an optional linear warm-up.")
public record ScheduleConfig(
        @Doc("constant, step, exponential, inverse, poly or cosine.") @Default("constant") ScheduleKind type,
        @Doc("Decay factor (step, exponential) or rate (inverse).") @Default("0.5") @Range(min = 0, minExclusive = true) double decay,
        @Doc("Epochs between decays (step).") @Default("10") @Range(min = 1) int step,
        @Doc("Exponent (inverse, poly).") @Default("1") @Range(min = 0, minExclusive = true) double power,
        @Doc("The rate cosine decays towards, reached as the last epoch ends (cosine).") @Default("0") @Range(min = 0) double floor,
        @Doc("Linear warm-up: for step k < warmup (k from 0, counted in warmupUnit) the schedule's rate is multiplied by (k + 1) / warmup; 0: none.")
        @Default("0") @Range(min = 0, max = 10000000) int warmup,
        @Doc("What warmup counts: epochs or iterations (parameter updates).") @Default("epochs") WarmupUnit warmupUnit) {
    public ScheduleConfig {
        Constraints.check(ScheduleConfig.class, type, decay, step, power, floor, warmup, warmupUnit);
    }

    /** A schedule without floor and warm-up (the fields older configs have). */
    public ScheduleConfig(ScheduleKind type, double decay, int step, double power) {
        this(type, decay, step, power, 0, 0, WarmupUnit.EPOCHS);
    }
}
