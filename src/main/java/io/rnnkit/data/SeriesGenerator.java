package io.rnnkit.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One long series of any length, for the streaming path's tests and benchmarks of forecasting ({@code format: series}):
 * a header {@code step,value}, then per step its number and a value, a seasonal sine of period {@code period} over a slow
 * trend, with noise. Seeded per step, so a file of N steps is the first N steps of a longer one.
 */
public final class SeriesGenerator {
    private SeriesGenerator() {
    }

    /** Writes the file (replacing one there) and returns its size in bytes. */
    public static long write(Path file, long steps, int period, long seed) {
        return RowsGenerator.write(file, out -> {
            out.write("step,value\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder(32);
            for (long t = 0; t < steps; t++) {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
                double v = 50 + 10 * Math.sin(2 * Math.PI * t / period) + 5 * Math.sin(2 * Math.PI * t / 1e5) + random.nextGaussian();
                line.setLength(0);
                line.append(t).append(',').append(Math.round(v * 1000) / 1000.0).append('\n');
                out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            }
        });
    }
}
