package io.rnnkit.config;

/** Data rnnkit can make itself, all from the control-chart equations of Alcock &amp; Manolopoulos (1999). */
public enum GeneratorKind {
    /** Many-to-one classification: which of the six patterns a chart follows. */
    SYNTHETIC_CONTROL,
    /** Many-to-many classification: at every step, has the level shifted up, down, or not yet (steady)? */
    SHIFT_DETECTION,
    /** Many-to-many regression: the noisy chart in, the noise-free pattern out, step by step. */
    DENOISING;

    /** The topology this generator's data is made for. */
    public Topology topology() {
        return this == SYNTHETIC_CONTROL ? Topology.MANY_TO_ONE : Topology.MANY_TO_MANY;
    }

    public TaskKind kind() {
        return this == DENOISING ? TaskKind.REGRESSION : TaskKind.CLASSIFICATION;
    }
}
