package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.leadingMask;
import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The same seed gives the same FLOAT network at every SIMD width: training each cell in JVMs limited to 128-bit
 * and 256-bit vectors ({@code -XX:MaxVectorSize}) gives the parameters and outputs of this JVM (the CPU's widest)
 * to the last bit. The lanes and their scalar tails compute every element with the same float operations
 * ({@link VectorMath}), and 20 units split differently at each width (5×4; 2×8 + 4; 16 + 4), so a kernel whose
 * tail rounds differently from its lanes fails here, not on a user's machine with another CPU. What may still
 * differ between machines is the BLAS's own rounding (OpenBLAS picks kernels by CPU), which this test holds fixed.
 */
class VectorWidthTest {

    private static final int HIDDEN = 20;

    @Test
    void narrowerVectorsTrainTheSameBits(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> here = fingerprints();
        for (int bytes : new int[]{16, 32}) {
            Path out = dir.resolve("width-" + bytes + ".txt");
            Path err = dir.resolve("err-" + bytes + ".txt");
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:MaxVectorSize=" + bytes, "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertEquals(0, p.waitFor(), Files.readString(err));
            List<String> lines = Files.readAllLines(out);
            assertEquals(String.valueOf(bytes * 8), lines.get(0), "the child JVM did not narrow its vectors");
            assertEquals(here, lines.subList(1, lines.size()), "cells trained with " + bytes * 8 + "-bit vectors");
        }
    }

    /** For each cell: a digest of the parameters after a few Adam steps on masked sequences, and of the outputs. */
    static List<String> fingerprints() {
        assertTrue(FloatLanes.AVAILABLE, "the SIMD path is off: nothing to compare");
        List<String> digests = new ArrayList<>();
        for (FloatLanesTest.Cell cell : FloatLanesTest.Cell.values()) {
            MultiLayerConfiguration.Builder b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(42)
                    .updater(new Adam(0.05)).list()
                    .layer(cell.layer.apply(3, HIDDEN)).layer(cell.layer.apply(HIDDEN, HIDDEN))
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(HIDDEN)
                            .nOut(3).build());
            b.setInputType(InputType.recurrent(3));
            MultiLayerNetwork net = new MultiLayerNetwork(b.build());
            net.init();
            INDArray x = uniform(5, DataType.FLOAT, 4, 3, 9);
            INDArray mask = leadingMask(DataType.FLOAT, 9, 9, 4, 7, 1);
            DataSet data = new DataSet(x, oneHot(6, DataType.FLOAT, 4, 3, 9), mask, mask);
            for (int i = 0; i < 5; i++) {
                net.fit(data);
            }
            digests.add(cell + " " + digest(net.params()) + " " + digest(net.output(x, false, mask, mask)));
        }
        return digests;
    }

    private static String digest(INDArray a) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (float v : a.dup().data().asFloat()) {
                int bits = Float.floatToRawIntBits(v);
                sha.update(new byte[]{(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints this JVM's vector width in bits, then {@link #fingerprints}. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(VectorMath.S.vectorBitSize());
            fingerprints().forEach(System.out::println);
        }
    }
}
