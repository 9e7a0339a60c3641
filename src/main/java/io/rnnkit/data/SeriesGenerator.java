package io.rnnkit.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write("step,value\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder(32);
            for (long t = 0; t < steps; t++) {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
                double v = 50 + 10 * Math.sin(2 * Math.PI * t / period) + 5 * Math.sin(2 * Math.PI * t / 1e5) + random.nextGaussian();
                line.setLength(0);
                line.append(t).append(',').append(Math.round(v * 1000) / 1000.0).append('\n');
                for (int i = 0; i < line.length(); i++) {
                    out.write(line.charAt(i));
                }
            }
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(file, "cannot write: " + e.getMessage(), e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(file, "cannot read its size: " + e.getMessage(), e);
        }
    }
}
