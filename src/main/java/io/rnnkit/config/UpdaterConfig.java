package io.rnnkit.config;

@Doc("The optimiser.")
public record UpdaterConfig(
        @Doc("sgd, nesterovs, adam, adamax, nadam, amsgrad, rmsprop, adagrad or adadelta.") @Default("adam") UpdaterKind type,
        @Doc("Initial learning rate (adadelta has none and ignores it).") @Default("0.001") @Range(min = 0, max = 10, minExclusive = true) double learningRate,
        @Doc("Momentum (nesterovs).") @Default("0.9") @Range(min = 0, max = 1, maxExclusive = true) double momentum,
        @Doc("How the learning rate changes over epochs.") @Default("{}") ScheduleConfig schedule) {
    public UpdaterConfig {
        Constraints.check(UpdaterConfig.class, type, learningRate, momentum, schedule);
    }
}
