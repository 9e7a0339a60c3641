package io.rnnkit.config;

@Doc("Gradient clipping against exploding gradients.")
public record ClippingConfig(
        @Doc("none, clip-l2-per-layer, clip-l2-per-param-type, clip-element-wise or renormalize-l2-per-layer.") @Default("clip-l2-per-layer") ClippingKind type,
        @Doc("The norm or value beyond which gradients are clipped.") @Default("1.0") @Range(min = 0, minExclusive = true) double threshold) {
    public ClippingConfig {
        Constraints.check(ClippingConfig.class, type, threshold);
    }
}
