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
        @Doc("Random distortions of the training sequences (jitter, scaling, magnitude and time warping); none by default.")
        @Default("{}") AugmentationConfig augmentation,
        @Doc("Write a resumable checkpoint (parameters, updater state, early-stopping state, history) every this many epochs and at the end; 0: only at the end and when interrupted (Ctrl-C, SIGTERM). rnnkit train --resume DIR continues from it.")
        @Default("1") @Range(min = 0, max = 100000) int checkpointEvery,
        @Doc("Classification: how much each class counts in the loss. none; balanced (the inverse of each class's frequency among the training split's labels, per step for per-step labels, so a rare class is not drowned by a common one); or a weight per class name, such as {normal: 1, anomaly: 20} (classes not named weigh 1).")
        @Default("none") ClassWeights classWeights,
        @Doc("When the updater's state (Adam's moments) restarts at zero: every-epoch (after each validation pass, as rnnkit always did;"
                + " every shipped figure was measured so) or never (it carries over, as in a textbook Adam).")
        @Default("every-epoch") UpdaterRestart updaterRestart,
        @Doc("Stochastic weight averaging of the last epochs.") @Default("{}") WeightAveragingConfig weightAveraging,
        @Doc("Threads of rnnkit's recurrent layers (each takes its share of a minibatch's rows; the large products are split too); 0: all cores."
                + " The same seed and thread count give the same parameters; another thread count may differ in float rounding.")
        @Default("0") @Range(min = 0, max = 1024) int threads,
        @Doc("Networks of several seeds saved as one model that answers with their combined outputs; one network by default.")
        @Default("{}") EnsembleConfig ensemble,
        @Doc("Choose the epoch count by K-fold cross-validation on the training data, then fit on all of it.") @Default("{}") CrossValidationConfig crossValidation,
        @Doc("Experimental: train this model data-parallel on Spark (parameter averaging); absent: in this process.") @Optional DistributedConfig distributed) {
    public TrainingConfig {
        Constraints.check(TrainingConfig.class, epochs, batchSize, updater, gradientClipping, tbpttLength, earlyStopping, shuffle, augmentation, checkpointEvery,
                classWeights, updaterRestart, weightAveraging, threads, ensemble, crossValidation, distributed);
    }

    /** This training for another number of epochs: cross-validation's final fit. */
    public TrainingConfig withEpochs(int otherEpochs) {
        return new TrainingConfig(otherEpochs, batchSize, updater, gradientClipping, tbpttLength, earlyStopping, shuffle, augmentation,
                checkpointEvery, classWeights, updaterRestart, weightAveraging, threads, ensemble, crossValidation, distributed);
    }

    /** This training as one network of an ensemble: what each member trains. */
    public TrainingConfig oneNetwork() {
        return new TrainingConfig(epochs, batchSize, updater, gradientClipping, tbpttLength, earlyStopping, shuffle, augmentation,
                checkpointEvery, classWeights, updaterRestart, weightAveraging, threads, new EnsembleConfig(1), crossValidation, distributed);
    }
}
