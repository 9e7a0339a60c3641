package io.rnnkit.config;

@Doc("The optimiser.")
public record UpdaterConfig(
        @Doc("sgd, nesterovs, adam, adamw, adamax, nadam, amsgrad, rmsprop, adagrad or adadelta.") @Default("adam") UpdaterKind type,
        @Doc("Initial learning rate (adadelta has none and ignores it).") @Default("0.001") @Range(min = 0, max = 10, minExclusive = true) double learningRate,
        @Doc("Momentum (nesterovs).") @Default("0.9") @Range(min = 0, max = 1, maxExclusive = true) double momentum,
        @Doc("How the learning rate changes over epochs.") @Default("{}") ScheduleConfig schedule,
        @Doc("Decoupled weight decay (Loshchilov & Hutter): after the updater's step every weight w (not the biases) also moves by"
                + " -lr·weightDecay·w, outside Adam's moments; adamw needs it > 0, and it works with the other updaters too (SGDW); 0: none.")
        @Default("0") @Range(min = 0, max = 1) double weightDecay,
        @Doc("Reduce-on-plateau.") @Default("{}") PlateauConfig plateau) {
    public UpdaterConfig {
        Constraints.check(UpdaterConfig.class, type, learningRate, momentum, schedule, weightDecay, plateau);
    }

    /** An updater without weight decay and plateau (the fields older configs have). */
    public UpdaterConfig(UpdaterKind type, double learningRate, double momentum, ScheduleConfig schedule) {
        this(type, learningRate, momentum, schedule, 0, new PlateauConfig(0, 0.5, 0));
    }
}
