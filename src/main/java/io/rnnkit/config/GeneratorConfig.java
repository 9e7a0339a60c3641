package io.rnnkit.config;

@Doc("Data rnnkit generates itself (format: generated).")
public record GeneratorConfig(
        @Doc("synthetic-control (many-to-one classes), shift-detection (a class per step) or denoising (a value per step), from the control-chart equations of Alcock & Manolopoulos (1999).")
        @Default("synthetic-control") GeneratorKind kind,
        @Doc("Sequences generated per class.") @Default("100") @Range(min = 2, max = 100000) int samplesPerClass,
        @Doc("Time steps per sequence.") @Default("60") @Range(min = 2, max = 100000) int length) {
    public GeneratorConfig {
        Constraints.check(GeneratorConfig.class, kind, samplesPerClass, length);
    }
}
