package io.rnnkit.config;

@Doc("Data rnnkit generates itself (format: generated).")
public record GeneratorConfig(
        @Doc("synthetic-control (many-to-one classes), shift-detection (a class per step) or denoising (a value per step), from the control-chart equations of Alcock & Manolopoulos (1999); adding (many-to-one regression: the sum of two marked values) or recall (many-to-one classes: the symbol shown length - 1 steps before the end), long-dependency tasks; chart-synthesis (one-to-many regression, vector to sequence: a chart's class and pattern parameters in, its noise-free chart out); dates, addition or reversal (sequence-to-sequence: a date in many human formats to yyyy-mm-dd, \"123+45\" to \"168\", letters reversed).")
        @Default("synthetic-control") GeneratorKind kind,
        @Doc("Sequences generated per class; for adding and the sequence-to-sequence generators, which have no classes, the number of sequences (pairs).") @Default("100") @Range(min = 2, max = 100000) int samplesPerClass,
        @Doc("Time steps per sequence; for recall, the lag between the cue and the answer plus one; for addition, the most digits of an operand; for reversal, the most letters; dates ignore it.") @Default("60") @Range(min = 2, max = 100000) int length) {
    public GeneratorConfig {
        Constraints.check(GeneratorConfig.class, kind, samplesPerClass, length);
    }
}
