package io.rnnkit.config;

/** The recurrent cell of a layer. */
public enum CellType {
    /** Elman's simple recurrent cell: h' = act(W x + R h + b). */
    SIMPLE_RNN,
    /** Long short-term memory (DL4J's LSTM). */
    LSTM,
    /** Gated recurrent unit, PyTorch/cuDNN form (rnnkit's own layer, io.rnnkit.nn.layers.FusedGRU; DL4J has none). */
    GRU
}
