package io.rnnkit.data;

import io.rnnkit.config.AugmentationConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * {@code training.augmentation}: random distortions of a training minibatch, after Um et al. (2017, "Data
 * augmentation of wearable sensor data") as used for small UCR sets: time warping, magnitude warping,
 * scaling, then jitter. Each sequence is distorted over its own steps only (the feature mask's), so padding
 * stays zero and masked steps stay masked.
 */
public final class Augmentation {
    private final AugmentationConfig config;

    public Augmentation(AugmentationConfig config) {
        this.config = config;
    }

    /** Whether any distortion is configured. */
    public boolean active() {
        return config.any();
    }

    /**
     * A distorted copy of {@code features} {@code [n, F, T]}; {@code mask} {@code [n, T]} (null: every step is
     * real) marks each sequence's steps, which come first.
     */
    public INDArray apply(INDArray features, INDArray mask, Random random) {
        int n = (int) features.size(0);
        int width = (int) features.size(1);
        int steps = (int) features.size(2);
        float[] x = features.dup('c').data().asFloat();
        float[] m = mask == null ? null : mask.dup('c').data().asFloat();
        double[] series = new double[steps];
        for (int i = 0; i < n; i++) {
            int length = steps;
            if (m != null) {
                length = 0;
                while (length < steps && m[i * steps + length] > 0) {
                    length++;
                }
            }
            double[] warpedTime = config.timeWarp() > 0 && length > 1 ? warpedTimes(length, random) : null;
            for (int f = 0; f < width; f++) {
                int base = (i * width + f) * steps;
                for (int t = 0; t < length; t++) {
                    series[t] = x[base + t];
                }
                double[] factor = config.magnitudeWarp() > 0 ? curve(length, config.magnitudeWarp(), random) : null;
                double scale = config.scaling() > 0 ? 1 + config.scaling() * random.nextGaussian() : 1;
                for (int t = 0; t < length; t++) {
                    double v = warpedTime != null ? interpolate(series, length, warpedTime[t]) : series[t];
                    if (factor != null) {
                        v *= factor[t];
                    }
                    v *= scale;
                    if (config.jitter() > 0) {
                        v += config.jitter() * random.nextGaussian();
                    }
                    x[base + t] = (float) v;
                }
            }
        }
        return Nd4j.create(x, new long[]{n, width, steps}, 'c');
    }

    /**
     * For each output step, the (fractional) input step it reads: the running sum of a smooth speed around 1,
     * rescaled so that the first step reads step 0 and the last reads step {@code length - 1}.
     */
    private double[] warpedTimes(int length, Random random) {
        double[] speed = curve(length, config.timeWarp(), random);
        double[] times = new double[length];
        for (int t = 1; t < length; t++) {
            // a speed at or below 0 would run time backwards; the floor keeps time moving forwards
            times[t] = times[t - 1] + Math.max(speed[t], 0.05);
        }
        double end = times[length - 1];
        for (int t = 0; t < length; t++) {
            times[t] = times[t] * (length - 1) / end;
        }
        return times;
    }

    /** A curve around 1: values drawn at {@code knots + 2} evenly spaced points (both ends included), linear between. */
    private double[] curve(int length, double sigma, Random random) {
        int points = config.knots() + 2;
        double[] knot = new double[points];
        for (int k = 0; k < points; k++) {
            knot[k] = 1 + sigma * random.nextGaussian();
        }
        double[] out = new double[length];
        for (int t = 0; t < length; t++) {
            double position = length == 1 ? 0 : (double) t * (points - 1) / (length - 1);
            out[t] = interpolate(knot, points, position);
        }
        return out;
    }

    /** Linear interpolation of {@code values[0..length)} at a fractional index within it. */
    private static double interpolate(double[] values, int length, double at) {
        int low = (int) Math.floor(at);
        if (low >= length - 1) {
            return values[length - 1];
        }
        double share = at - low;
        return values[low] * (1 - share) + values[low + 1] * share;
    }
}
