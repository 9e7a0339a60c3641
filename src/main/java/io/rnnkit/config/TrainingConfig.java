package io.rnnkit.config;

@Doc("How the network is trained.")
public record TrainingConfig(
        @Doc("Passes over the training split.") @Default("30") @Range(min = 1, max = 100000) int epochs,
        @Doc("Sequences per minibatch.") @Default("32") @Range(min = 1, max = 1000000) int batchSize,
        @Doc("The optimiser and its learning rate.") @Default("{}") UpdaterConfig updater,
        @Doc("Gradient clipping.") @Default("{}") ClippingConfig gradientClipping,
        @Doc("Truncated BPTT segment length in steps; 0 backpropagates through the whole sequence.") @Default("0") @Range(min = 0) int tbpttLength,
        @Doc("Choosing the epoch on the validation split.") @Default("{}") EarlyStoppingConfig earlyStopping,
        @Doc("Shuffle the training sequences every epoch (seeded).") @Default("true") boolean shuffle,
        @Doc("Write a resumable checkpoint (parameters, updater state, early-stopping state, history) every this many epochs and at the end; 0: only at the end and when interrupted (Ctrl-C, SIGTERM). rnnkit train --resume DIR continues from it.")
        @Default("1") @Range(min = 0, max = 100000) int checkpointEvery,
        @Doc("When the updater's state (Adam's moments) restarts at zero: every-epoch (after each validation pass, as rnnkit always did;"
                + " every shipped figure was measured so) or never (it carries over, as in a textbook Adam).")
        @Default("every-epoch") UpdaterRestart updaterRestart,
        @Doc("Stochastic weight averaging of the last epochs.") @Default("{}") WeightAveragingConfig weightAveraging) {
    public TrainingConfig {
        Constraints.check(TrainingConfig.class, epochs, batchSize, updater, gradientClipping, tbpttLength, earlyStopping, shuffle, checkpointEvery,
                updaterRestart, weightAveraging);
    }
}
