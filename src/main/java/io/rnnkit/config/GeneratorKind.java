package io.rnnkit.config;

/** Data rnnkit can make itself. */
public enum GeneratorKind {
    /** The six control-chart patterns of Alcock &amp; Manolopoulos (1999), as in the UCI synthetic control set. */
    SYNTHETIC_CONTROL
}
