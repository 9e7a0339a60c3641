package io.rnnkit.nn.layers;

import static io.rnnkit.nn.layers.GruTestSupport.oneHot;
import static io.rnnkit.nn.layers.GruTestSupport.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.rnnkit.CliLogging;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Configuration (JSON, YAML) and model (ModelSerializer, also in a fresh JVM) round trips. */
class GRUSerializationTest {

    private static final int N_IN = 3;
    private static final int H = 6;
    private static final int T = 7;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.FLOAT);

    /** A many-to-one network using the GRU in every position, with non-default settings. */
    private static MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .list()
                .layer(new GRU.Builder().nOut(H).activation(Activation.SOFTSIGN)
                        .gateActivationFunction(Activation.HARDSIGMOID).weightInit(WeightInit.XAVIER_UNIFORM)
                        .weightInitRecurrent(WeightInit.LECUN_UNIFORM).biasInit(0.1).dropOut(0.9).l2(1e-4)
                        .constrainRecurrent(new MaxNormConstraint(2.0, 0)).build())
                .layer(new Bidirectional(Bidirectional.Mode.ADD, new GRU.Builder().nOut(H).build()))
                .layer(new LastTimeStep(new GRU.Builder().nOut(H).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(4).build())
                .setInputType(InputType.recurrent(N_IN, RNNFormat.NCW))
                .build();
    }

    @Test
    void jsonAndYamlRoundTrip() {
        MultiLayerConfiguration conf = configuration();
        String json = conf.toJson();
        assertTrue(json.contains("\"@class\" : \"io.rnnkit.nn.layers.GRU\""), json);
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, fromJson);
        assertEquals(json, fromJson.toJson());
        MultiLayerConfiguration fromYaml = MultiLayerConfiguration.fromYaml(conf.toYaml());
        assertEquals(conf, fromYaml);

        GRU gru = (GRU) fromYaml.getConf(0).getLayer();
        assertTrue(gru.getGateActivationFn() instanceof ActivationHardSigmoid);
        assertTrue(gru.getActivationFn() instanceof ActivationSoftSign);
        assertEquals(N_IN, gru.getNIn());
        assertEquals(0.1, gru.getBiasInit());
        List<String> constrained = new ArrayList<>();
        for (LayerConstraint c : gru.getConstraints()) {
            constrained.addAll(c.getParams());
        }
        assertEquals(List.of(GRUParamInitializer.RECURRENT_WEIGHT_KEY), constrained);
        // a changed GRU field makes the configurations differ, so equals() is not vacuous
        gru.setGateActivationFn(Activation.SIGMOID.getActivationFunction());
        assertTrue(!conf.equals(fromYaml));
    }

    private static MultiLayerNetwork trained() {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        DataSet ds = new DataSet(uniform(5, DataType.FLOAT, 4, N_IN, T), oneHot(6, DataType.FLOAT, 4, 4, 0));
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        return net;
    }

    @Test
    void modelSerializerRoundTripKeepsOutputsAndUpdaterState(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = trained();
        File file = dir.resolve("gru.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        INDArray x = uniform(8, DataType.FLOAT, 5, N_IN, T);
        assertEquals(net.output(x), restored.output(x));

        // the same next training step from both: updater state and dropout RNG came along
        DataSet ds = new DataSet(uniform(9, DataType.FLOAT, 4, N_IN, T), oneHot(10, DataType.FLOAT, 4, 4, 0));
        Nd4j.getRandom().setSeed(11);
        net.fit(ds);
        Nd4j.getRandom().setSeed(11);
        restored.fit(ds);
        assertEquals(net.params(), restored.params());
    }

    @Test
    void savedModelLoadsInFreshJvmWithOnlyRuntimeClasspath(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = trained();
        File model = dir.resolve("gru.zip").toFile();
        ModelSerializer.writeModel(net, model, false);
        INDArray x = uniform(8, DataType.FLOAT, 5, N_IN, T);
        File input = dir.resolve("input.bin").toFile();
        File output = dir.resolve("output.bin").toFile();
        Nd4j.saveBinary(x, input);

        Path launcher = dir.resolve("LoadAndPredict.java");
        try (InputStream in = getClass().getResourceAsStream("LoadAndPredict.java")) {
            Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, CliLogging.JVM_OPTION, "-cp", runtimeClasspath(), launcher.toString(),
                model.toString(), input.toString(), output.toString()).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("layer 0: io.rnnkit.nn.layers.GRULayer"), log);
        assertEquals(net.output(x), Nd4j.readBinary(output));
    }

    /**
     * The test classpath less test classes and test-only libraries (JUnit and its dependencies):
     * target/classes plus the runtime dependencies.
     */
    private static String runtimeClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> keep = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean testOnly = e.endsWith("/test-classes") || e.contains("/org/junit/")
                    || e.contains("/org/opentest4j/") || e.contains("/org/apiguardian/");
            if (!testOnly && !e.isEmpty()) {
                keep.add(entry);
            }
        }
        assertTrue(keep.stream().anyMatch(e -> e.replace('\\', '/').endsWith("target/classes")), cp);
        return String.join(File.pathSeparator, keep);
    }
}
