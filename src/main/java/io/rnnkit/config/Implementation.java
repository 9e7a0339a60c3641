package io.rnnkit.config;

/** Which code runs a recurrent layer. */
public enum Implementation {
    /** DL4J's own layer (SimpleRnn, LSTM). DL4J has no GRU. */
    DL4J,
    /** rnnkit's layer (io.rnnkit.nn.layers: SimpleRnn, LSTM, GRU), with DL4J's parameter layout for simple-rnn and lstm. */
    RNNKIT
}
