package io.rnnkit.config;

@Doc("One recurrent layer.")
public record LayerConfig(
        @Doc("The cell: simple-rnn, lstm or gru.") CellType type,
        @Doc("Hidden units (per direction when bidirectional).") @Range(min = 1, max = 65536) int units,
        @Doc("Read the sequence in both directions and concatenate the two outputs.") @Default("false") boolean bidirectional,
        @Doc("Activation of the layer's output.") @Default("tanh") ActivationKind activation,
        @Doc("Probability of dropping each input value of this layer during training.") @Default("0") @Range(min = 0, max = 1, maxExclusive = true) double dropout,
        @Doc("Which code runs the layer: rnnkit (rnnkit's own layers: DL4J's parameters and settings, honours padding"
                + " masks, 2-4x faster to train) or dl4j (DL4J's own SimpleRnn/LSTM; not for gru, DL4J has none)."
                + " Absent: rnnkit.") @Optional Implementation implementation,
        @Doc("Layer normalization inside the cell (Ba et al. 2016; lstm and gru, rnnkit's implementation): the input-to-hidden and"
                + " hidden-to-hidden pre-activations of each step are normalised over their units, each with a learned gain and bias.")
        @Default("false") boolean layerNorm) {
    public LayerConfig {
        Constraints.check(LayerConfig.class, type, units, bidirectional, activation, dropout, implementation, layerNorm);
    }

    /** A layer with the cell's default implementation. */
    public LayerConfig(CellType type, int units, boolean bidirectional, ActivationKind activation, double dropout) {
        this(type, units, bidirectional, activation, dropout, null, false);
    }

    /** A layer without layer normalization. */
    public LayerConfig(CellType type, int units, boolean bidirectional, ActivationKind activation, double dropout,
                       Implementation implementation) {
        this(type, units, bidirectional, activation, dropout, implementation, false);
    }

    /** The implementation that runs the layer: the configured one, else the cell's default. */
    public Implementation effectiveImplementation() {
        if (implementation != null) {
            return implementation;
        }
        return Implementation.RNNKIT;
    }
}
