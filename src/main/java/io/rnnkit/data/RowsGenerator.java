package io.rnnkit.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A labelled dataset of any size in the rows layout, for the streaming path's tests and benchmarks: {@code sequences}
 * rows of {@code length} values and a class label last ({@code data.labels.from: last-column}). Class 0 is a noisy sine,
 * class 1 the same with a step up somewhere in the second half, so a small recurrent net learns it in an epoch or two.
 * Seeded per row, so a file of N rows is the first N rows of a larger one.
 */
public final class RowsGenerator {
    private RowsGenerator() {
    }

    /** What a generator writes into its file. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code body} to the file (replacing one there), buffered, and returns the file's size in bytes. */
    static long write(Path file, Body body) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            body.writeTo(out);
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(file, "cannot write: " + e.getMessage(), e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new io.rnnkit.OutputException(file, "cannot read its size: " + e.getMessage(), e);
        }
    }

    /** Writes the file (replacing one there) and returns its size in bytes. */
    public static long write(Path file, long sequences, int length, long seed) {
        byte[] line = new byte[length * 8 + 4];
        return write(file, out -> {
            for (long i = 0; i < sequences; i++) {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
                int label = random.nextInt(2);
                int step = length / 2 + random.nextInt(Math.max(1, length / 2));
                double phase = random.nextDouble() * 2 * Math.PI;
                int at = 0;
                for (int t = 0; t < length; t++) {
                    double v = Math.sin(phase + t * 0.3) + 0.3 * random.nextGaussian() + (label == 1 && t >= step ? 1.5 : 0);
                    at = fixed(v, line, at);
                    line[at++] = ',';
                }
                line[at++] = (byte) ('0' + label);
                line[at++] = '\n';
                out.write(line, 0, at);
            }
        });
    }

    /** {@code v} with three decimals (|v| below 100), written into {@code out} at {@code at}; returns the end. */
    private static int fixed(double v, byte[] out, int at) {
        long milli = Math.round(v * 1000);
        if (milli < 0) {
            out[at++] = '-';
            milli = -milli;
        }
        long whole = milli / 1000;
        if (whole >= 10) {
            out[at++] = (byte) ('0' + whole / 10 % 10);
        }
        out[at++] = (byte) ('0' + whole % 10);
        out[at++] = '.';
        long frac = milli % 1000;
        out[at++] = (byte) ('0' + frac / 100);
        out[at++] = (byte) ('0' + frac / 10 % 10);
        out[at++] = (byte) ('0' + frac % 10);
        return at;
    }
}
