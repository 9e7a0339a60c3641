package io.rnnkit.config;

/** Gradient normalisation against exploding gradients (DL4J's {@code GradientNormalization}). */
public enum ClippingKind {
    NONE,
    /** Rescale a layer's whole gradient when its L2 norm exceeds the threshold. */
    CLIP_L2_PER_LAYER,
    /** Rescale each parameter type's gradient (weights, recurrent weights, biases) when its L2 norm exceeds the threshold. */
    CLIP_L2_PER_PARAM_TYPE,
    /** Clip each gradient value to [-threshold, threshold]. */
    CLIP_ELEMENT_WISE,
    /** Divide each layer's gradient by its L2 norm (no threshold). */
    RENORMALIZE_L2_PER_LAYER
}
