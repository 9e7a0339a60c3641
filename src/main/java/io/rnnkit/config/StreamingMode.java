package io.rnnkit.config;

/** When a dataset is read through the streaming path (a binary cache on disk) rather than whole into memory. */
public enum StreamingMode {
    /** Streamed when the data files together are larger than {@code data.streaming.thresholdBytes}. */
    AUTO,
    /** Always streamed (the layout must be one the streaming path reads). */
    ALWAYS,
    /** Always read whole into memory. */
    NEVER
}
