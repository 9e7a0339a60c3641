package io.rnnkit.data;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

/**
 * The arithmetic of a fitted DL4J normalizer, copied out of it into plain float arrays, so that a model
 * serving many threads scales inputs and reverts outputs without touching the normalizer itself.
 *
 * <p>Why not call the normalizer: in DL4J M2.1 {@code NormalizerStandardize.transform} rewrites its own
 * standard-deviation array on every call (zeros replaced by one) and {@code MinMaxStats} computes its range
 * lazily, so concurrent calls write shared state; and each call dispatches several native ops, which costs
 * more than the whole arithmetic on one sequence. The float operations here are the ones ND4J performs, in
 * the same order and the same precision, so the results are bit-identical ({@code ScalerTest} checks it):
 * <ul>
 *   <li>standardize: {@code x' = (x − mean) / std}; revert {@code y = y'·std + mean}</li>
 *   <li>min-max: {@code x' = (x − min) / (max − min) · (hi − lo) + lo}; revert
 *       {@code y = (y' − lo) / (hi − lo) · (max − min) + min}</li>
 * </ul>
 * Without a normalizer ({@code normalizer: none}) every value passes unchanged.
 */
public final class Scaler {
    private static final Scaler IDENTITY = new Scaler(null, null, 1f, 0f, null, null, false);

    /** Per feature: subtract {@code featureShift}, divide by {@code featureScale}. */
    private final float[] featureShift;
    private final float[] featureScale;
    /** After shift and scale, min-max maps [0, 1] to [lo, hi]: multiply by {@code span}, add {@code low}. */
    private final float span;
    private final float low;
    private final float[] labelShift;
    private final float[] labelScale;
    private final boolean scalesLabels;

    private Scaler(float[] featureShift, float[] featureScale, float span, float low, float[] labelShift, float[] labelScale,
                   boolean scalesLabels) {
        this.featureShift = featureShift;
        this.featureScale = featureScale;
        this.span = span;
        this.low = low;
        this.labelShift = labelShift;
        this.labelScale = labelScale;
        this.scalesLabels = scalesLabels;
    }

    /** The scaler of a fitted normalizer; null (no normalizer) gives the identity. */
    public static Scaler of(DataNormalization normalizer) {
        if (normalizer == null) {
            return IDENTITY;
        }
        if (normalizer instanceof NormalizerStandardize standardize) {
            boolean labels = standardize.isFitLabel();
            return new Scaler(floats(standardize.getMean()), nonZero(floats(standardize.getStd())), 1f, 0f,
                    labels ? floats(standardize.getLabelMean()) : null, labels ? nonZero(floats(standardize.getLabelStd())) : null, labels);
        }
        if (normalizer instanceof NormalizerMinMaxScaler minMax) {
            boolean labels = minMax.isFitLabel();
            float[] min = floats(minMax.getMin());
            float[] labelMin = labels ? floats(minMax.getLabelMin()) : null;
            return new Scaler(min, range(min, floats(minMax.getMax())), (float) (minMax.getTargetMax() - minMax.getTargetMin()),
                    (float) minMax.getTargetMin(), labelMin, labels ? range(labelMin, floats(minMax.getLabelMax())) : null, labels);
        }
        throw new IllegalArgumentException("rnnkit saves standardize and min-max normalizers only, not "
                + normalizer.getClass().getSimpleName());
    }

    /** Feature {@code f} of one time step, scaled as the network saw it in training. */
    public float feature(int f, double raw) {
        float x = (float) raw;
        if (featureShift == null) {
            return x;
        }
        return (x - featureShift[f]) / featureScale[f] * span + low;
    }

    /** Target {@code k} in the data's units, scaled as the network's outputs were trained (the inverse of {@link #revertLabel}). */
    public float label(int k, double raw) {
        float y = (float) raw;
        if (!scalesLabels) {
            return y;
        }
        return (y - labelShift[k]) / labelScale[k] * span + low;
    }

    /** Output {@code k} of a regression network, in the units of the data (outputs are unscaled when labels were not scaled). */
    public double revertLabel(int k, float output) {
        if (!scalesLabels) {
            return output;
        }
        return (output - low) / span * labelScale[k] + labelShift[k];
    }

    /** Values per step this scaler scales (0 for the identity, which scales any number). */
    public int features() {
        return featureShift == null ? 0 : featureShift.length;
    }

    /**
     * The arithmetic as plain values, for a bundle's JSON ({@link #fromMap} reads it back): floats written as Java
     * prints them, so that read back as decimals and rounded to float they are the same floats.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("featureShift", featureShift);
        m.put("featureScale", featureScale);
        m.put("span", span);
        m.put("low", low);
        if (scalesLabels) {
            m.put("labelShift", labelShift);
            m.put("labelScale", labelScale);
        }
        return m;
    }

    /**
     * A scaler from {@link #toMap}'s values (decimals), checked: {@code features} finite shifts and non-zero finite
     * scales, labels likewise when present.
     *
     * @throws IllegalArgumentException naming the first value that does not fit
     */
    public static Scaler fromMap(Map<String, ?> m, int features, int labels) {
        float[] shift = floats(m, "featureShift", features, false);
        float[] scale = floats(m, "featureScale", features, true);
        boolean scalesLabels = m.containsKey("labelShift") || m.containsKey("labelScale");
        return new Scaler(shift, scale, number(m, "span", true), number(m, "low", false),
                scalesLabels ? floats(m, "labelShift", labels, false) : null, scalesLabels ? floats(m, "labelScale", labels, true) : null,
                scalesLabels);
    }

    private static float[] floats(Map<String, ?> m, String key, int length, boolean nonZero) {
        if (!(m.get(key) instanceof List<?> list) || list.size() != length) {
            throw new IllegalArgumentException(key + ": expected " + length + " numbers");
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = checked(key + "[" + i + "]", list.get(i), nonZero);
        }
        return out;
    }

    private static float number(Map<String, ?> m, String key, boolean nonZero) {
        return checked(key, m.get(key), nonZero);
    }

    private static float checked(String name, Object value, boolean nonZero) {
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(name + ": expected a number, found " + value);
        }
        // a decimal rounded once to float: the float that was written (a double in between could round twice)
        float f = n instanceof java.math.BigDecimal d ? d.floatValue() : n.floatValue();
        if (!Float.isFinite(f) || nonZero && f == 0f) {
            throw new IllegalArgumentException(name + ": " + value + " is not " + (nonZero ? "a finite non-zero number" : "finite"));
        }
        return f;
    }

    private static float[] floats(INDArray row) {
        return row.toFloatVector();
    }

    /** ND4J divides by one where a standard deviation is zero (a constant feature). */
    private static float[] nonZero(float[] std) {
        float[] out = std.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0f) {
                out[i] = 1f;
            }
        }
        return out;
    }

    private static float[] range(float[] min, float[] max) {
        float[] out = new float[min.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = max[i] - min[i];
        }
        return out;
    }
}
