package io.rnnkit.config;

import java.util.List;

@Doc("The network: recurrent layers, stacked in order, then an output layer chosen by the task.")
public record ModelConfig(
        @Doc("The recurrent layers, input side first.") @Range(min = 1, max = 64) List<LayerConfig> layers,
        @Doc("How weights are initialised.") @Default("xavier") WeightInitKind weightInit,
        @Doc("L2 penalty on the weights.") @Default("0") @Range(min = 0) double l2,
        @Doc("Width of the token embedding that text input goes through before the recurrent layers (format: text); 0 for numeric data.")
        @Default("0") @Range(min = 0, max = 4096) int embeddingSize,
        @Doc("What a direct forecaster's output gives per horizon step: point values, or quantiles or a Gaussian for prediction intervals.")
        @Default("{}") HeadConfig head) {
    public ModelConfig {
        layers = layers == null ? null : List.copyOf(layers);
        Constraints.check(ModelConfig.class, layers, weightInit, l2, embeddingSize, head);
    }
}
