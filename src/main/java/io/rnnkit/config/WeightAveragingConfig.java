package io.rnnkit.config;

@Doc("Stochastic weight averaging (Izmailov et al. 2018): the model kept is the mean of the parameters at the end of the last epochs.")
public record WeightAveragingConfig(
        @Doc("Epochs whose final parameters are averaged, the last ones of training.epochs; 0: off (the best or last epoch is kept)."
                + " Needs training.earlyStopping {patience: 0, restoreBest: false}: the average takes the best epoch's place.")
        @Default("0") @Range(min = 0, max = 100000) int lastEpochs) {
    public WeightAveragingConfig {
        Constraints.check(WeightAveragingConfig.class, lastEpochs);
    }

    public boolean enabled() {
        return lastEpochs > 0;
    }
}
