package io.rnnkit.config;

@Doc("One recurrent layer.")
public record LayerConfig(
        @Doc("The cell: simple-rnn, lstm or gru.") CellType type,
        @Doc("Hidden units (per direction when bidirectional).") @Range(min = 1, max = 65536) int units,
        @Doc("Read the sequence in both directions and concatenate the two outputs.") @Default("false") boolean bidirectional,
        @Doc("Activation of the layer's output.") @Default("tanh") ActivationKind activation,
        @Doc("Probability of dropping each input value of this layer during training.") @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout) {
    public LayerConfig {
        Constraints.check(LayerConfig.class, type, units, bidirectional, activation, dropout);
    }
}
