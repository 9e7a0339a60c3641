package io.rnnkit.config;

/**
 * Data rnnkit can make itself: control charts from the equations of Alcock &amp; Manolopoulos (1999), and
 * long-dependency tasks that show how far back a cell can learn (io.rnnkit.data.MemoryTasks), and symbol
 * transductions whose output length differs from the input's (io.rnnkit.data.TranslationTasks).
 */
public enum GeneratorKind {
    /** Many-to-one classification: which of the six patterns a chart follows. */
    SYNTHETIC_CONTROL,
    /** Many-to-many classification: at every step, has the level shifted up, down, or not yet (steady)? */
    SHIFT_DETECTION,
    /** Many-to-many regression: the noisy chart in, the noise-free pattern out, step by step. */
    DENOISING,
    /** Many-to-one regression: the sum of the two marked values among {@code length} (Hochreiter &amp; Schmidhuber 1997). */
    ADDING,
    /** Many-to-one classification: which symbol the first step showed, {@code length − 1} distracting steps ago. */
    RECALL,
    /**
     * One-to-many regression (vector → sequence): a static vector, a chart's class (one-hot) and its pattern
     * parameters, in; the noise-free chart of that class and those parameters out, step by step.
     */
    CHART_SYNTHESIS,
    /** Sequence to sequence: a date in one of many human formats in, the same date as {@code yyyy-mm-dd} out. */
    DATES,
    /** Sequence to sequence: {@code "123+45"} in, the sum {@code "168"} out; operands of 1 to {@code length} digits. */
    ADDITION,
    /** Sequence to sequence: letters in, the same letters in reverse order out; 1 to {@code length} of them. */
    REVERSAL;

    /** The topology this generator's data is made for. */
    public Topology topology() {
        return switch (this) {
            case SHIFT_DETECTION, DENOISING -> Topology.MANY_TO_MANY;
            case CHART_SYNTHESIS -> Topology.ONE_TO_MANY;
            case DATES, ADDITION, REVERSAL -> Topology.SEQUENCE_TO_SEQUENCE;
            case SYNTHETIC_CONTROL, ADDING, RECALL -> Topology.MANY_TO_ONE;
        };
    }

    public TaskKind kind() {
        return this == DENOISING || this == ADDING || this == CHART_SYNTHESIS ? TaskKind.REGRESSION : TaskKind.CLASSIFICATION;
    }
}
