package io.rnnkit.nn;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A learning-rate schedule times a linear warm-up and a constant scale: for step k (iterations or epochs from 0,
 * as {@code iterations} says) the rate is {@code scale · min(1, (k + 1) / warmup) · base(iteration, epoch)}.
 * The scale is what reduce-on-plateau lowers. Part of a network's configuration, so it is saved with the network
 * as JSON (rnnkit's own package, which {@code NetworkCodec} admits) and a resumed run continues with it.
 */
public final class WarmupSchedule implements ISchedule {
    @JsonProperty
    private final ISchedule base;
    @JsonProperty
    private final int warmup;
    @JsonProperty
    private final boolean iterations;
    @JsonProperty
    private final double scale;

    public WarmupSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("warmup") int warmup,
                          @JsonProperty("iterations") boolean iterations, @JsonProperty("scale") double scale) {
        this.base = Objects.requireNonNull(base, "base");
        this.warmup = warmup;
        this.iterations = iterations;
        this.scale = scale;
    }

    /** The same schedule with another scale. */
    public WarmupSchedule withScale(double newScale) {
        return new WarmupSchedule(base, warmup, iterations, newScale);
    }

    public double scale() {
        return scale;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        int k = iterations ? iteration : epoch;
        double ramp = warmup > 0 && k < warmup ? (k + 1.0) / warmup : 1.0;
        return scale * ramp * base.valueAt(iteration, epoch);
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(base.clone(), warmup, iterations, scale);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupSchedule w && w.base.equals(base) && w.warmup == warmup && w.iterations == iterations
                && w.scale == scale;
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, warmup, iterations, scale);
    }

    @Override
    public String toString() {
        return "WarmupSchedule(base=" + base + ", warmup=" + warmup + (iterations ? " iterations" : " epochs") + ", scale=" + scale + ")";
    }
}
