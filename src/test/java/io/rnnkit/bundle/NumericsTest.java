package io.rnnkit.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the numerics of a run are read from the machine and shown to people. */
class NumericsTest {
    @TempDir
    Path dir;

    @Test
    void theCpuModelIsTheFirstModelNameOfCpuinfo() throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 9R14 96-Core Processor
                flags\t\t: avx512f

                processor\t: 1
                model name\t: another name
                """);
        assertEquals("AMD EPYC 9R14 96-Core Processor", Numerics.cpuModel(cpuinfo, "amd64"));
    }

    @Test
    void withoutAModelNameTheArchitectureStandsIn() throws IOException {
        // an ARM Linux cpuinfo names no model, and macOS and Windows have no cpuinfo at all
        Path arm = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n");
        assertEquals("aarch64", Numerics.cpuModel(arm, "aarch64"));
        assertEquals("aarch64", Numerics.cpuModel(dir.resolve("absent"), "aarch64"));
    }

    @Test
    void describeSaysThePathTheBlasAndTheCpuInOneLine() {
        assertEquals("SIMD lanes of 256 bits, 2 layer threads; OpenBLAS, 2 threads; Intel(R) Xeon(R) CPU",
                new Numerics("simd", 256, "OpenBLAS", 2, "Intel(R) Xeon(R) CPU", 2).describe());
        assertEquals("scalar layers, 1 layer thread; MKL, 1 thread; aarch64",
                new Numerics("scalar", null, "MKL", 1, "aarch64", 1).describe());
        assertEquals("scalar layers; MKL, 1 thread; aarch64", new Numerics("scalar", null, "MKL", 1, "aarch64", null).describe(),
                "a bundle from before the layer threads were recorded");
    }
}
