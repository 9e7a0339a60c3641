package io.rnnkit.bundle;

import io.rnnkit.nn.layers.FloatLanes;
import io.rnnkit.nn.layers.LayerThreads;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What can change the floating-point results of a run beyond its seed and data, so that "the same seed gives the
 * same run" can be checked and a difference explained across machines: the SIMD and scalar paths round
 * differently (the lane width should not matter, and is recorded so that this can be checked), and OpenBLAS and
 * MKL (and their thread counts) split a matrix product's sums differently.
 * A resumed run records the JVM that finished it. Bundles written before it was recorded read it as null.
 *
 * @param path        {@code simd} when rnnkit's recurrent layers run FLOAT networks' elementwise work in Vector
 *                    API lanes (the incubator module is present and {@code -Drnnkit.simd=false} is not set),
 *                    else {@code scalar}; layers on DL4J's implementation, or with other activations than
 *                    tanh/sigmoid, always compute in scalar code
 * @param vectorBits  the width of those lanes in bits (the JVM's preferred float species), null on the scalar path
 * @param blas        the BLAS ND4J loaded: {@code OpenBLAS}, {@code MKL}, or ND4J's name for another
 * @param blasThreads the BLAS's thread count as ND4J set it
 * @param cpu         the CPU model ({@code /proc/cpuinfo}), else the architecture
 * @param layerThreads the thread count of rnnkit's recurrent layers ({@link LayerThreads}: training.threads, or
 *                    all cores); another count splits the minibatch otherwise and so rounds otherwise. Null in
 *                    bundles written before it was recorded
 */
public record Numerics(String path, Integer vectorBits, String blas, Integer blasThreads, String cpu, Integer layerThreads) {

    /** The numerics of this JVM; it loads ND4J's backend. */
    public static Numerics current() {
        boolean lanes = FloatLanes.available();
        Blas blas = Nd4j.factory().blas();
        return new Numerics(lanes ? "simd" : "scalar", lanes ? FloatLanes.vectorBits() : null, vendor(blas.getBlasVendor()),
                blas.getMaxThreads(), cpuModel(Path.of("/proc/cpuinfo"), System.getProperty("os.arch")), LayerThreads.get());
    }

    private static String vendor(Blas.Vendor vendor) {
        return switch (vendor) {
            case OPENBLAS -> "OpenBLAS";
            case MKL -> "MKL";
            case CUBLAS -> "cuBLAS";
            default -> vendor.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The first "model name" of a cpuinfo file (x86 Linux has one per core), else {@code fallback}. */
    static String cpuModel(Path cpuinfo, String fallback) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .filter(s -> !s.isEmpty())
                    .findFirst().orElse(fallback);
        } catch (IOException | RuntimeException e) { // no such file (macOS, Windows) or unreadable
            return fallback;
        }
    }

    /** One line for people: {@code SIMD lanes of 256 bits, 2 layer threads; OpenBLAS, 2 threads; Intel(R) Xeon(R) …}. */
    public String describe() {
        return ("simd".equals(path) ? "SIMD lanes of " + vectorBits + " bits" : path + " layers")
                + (layerThreads == null ? "" : ", " + layerThreads + " layer thread" + (layerThreads == 1 ? "" : "s")) + "; "
                + blas + ", " + blasThreads + " thread" + (Integer.valueOf(1).equals(blasThreads) ? "" : "s") + "; " + cpu;
    }
}
