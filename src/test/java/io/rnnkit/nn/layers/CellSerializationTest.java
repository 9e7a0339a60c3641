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
import io.rnnkit.nn.layers.CellContractTest.Cell;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

/**
 * Configuration (JSON, YAML) and model (ModelSerializer, also in a fresh JVM) round trips of every cell: part of
 * {@link CellContractTest}'s contract, in single precision.
 */
class CellSerializationTest {

    private static final int N_IN = 3;
    private static final int H = 6;
    private static final int T = 7;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.FLOAT);

    /** A many-to-one network using the cell in every position, with non-default settings. */
    private static MultiLayerConfiguration configuration(Cell cell) throws ReflectiveOperationException {
        BaseRecurrentLayer.Builder<?> first = cell.builder().nOut(H).activation(Activation.SOFTSIGN)
                .weightInit(WeightInit.XAVIER_UNIFORM).weightInitRecurrent(WeightInit.LECUN_UNIFORM).biasInit(0.1)
                .dropOut(0.9).l2(1e-4).constrainRecurrent(new MaxNormConstraint(2.0, 0));
        if (gated(cell)) {
            first.getClass().getMethod("gateActivationFunction", Activation.class).invoke(first,
                    Activation.HARDSIGMOID);
        }
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Adam(1e-2))
                .list()
                .layer(first.build())
                .layer(new Bidirectional(Bidirectional.Mode.ADD, cell.builder().nOut(H).build()))
                .layer(new LastTimeStep(cell.builder().nOut(H).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(4).build())
                .setInputType(InputType.recurrent(N_IN, RNNFormat.NCW))
                .build();
    }

    /** The cells with a gate activation besides the layer's activation. */
    private static boolean gated(Cell cell) {
        return cell != Cell.SIMPLE_RNN;
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void jsonAndYamlRoundTrip(Cell cell) throws ReflectiveOperationException {
        MultiLayerConfiguration conf = configuration(cell);
        String json = conf.toJson();
        String className = cell.rnnkit(1, 1).getClass().getName();
        assertTrue(json.contains("\"@class\" : \"" + className + "\""), json);
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, fromJson);
        assertEquals(json, fromJson.toJson());
        MultiLayerConfiguration fromYaml = MultiLayerConfiguration.fromYaml(conf.toYaml());
        assertEquals(conf, fromYaml);

        BaseRecurrentLayer layer = (BaseRecurrentLayer) fromYaml.getConf(0).getLayer();
        assertEquals(className, layer.getClass().getName());
        if (gated(cell)) {
            assertTrue(layer.getClass().getMethod("getGateActivationFn").invoke(layer)
                    instanceof ActivationHardSigmoid);
        }
        assertTrue(layer.getActivationFn() instanceof ActivationSoftSign);
        assertEquals(N_IN, layer.getNIn());
        assertEquals(0.1, layer.getBiasInit());
        if (cell != Cell.SIMPLE_RNN) { // DL4J's SimpleRnn builder (and so rnnkit's) drops constrainRecurrent
            List<String> constrained = new ArrayList<>();
            for (LayerConstraint c : layer.getConstraints()) {
                constrained.addAll(c.getParams());
            }
            // the recurrent weights' key, "RW", in the cells' parameter initialisers
            assertEquals(List.of(GRUParamInitializer.RECURRENT_WEIGHT_KEY), constrained);
        }
        // a changed field shows in the JSON and makes the configurations differ, so equals() is not vacuous;
        // except for SimpleRnn, whose equals (DL4J's, generated from its own field only) ignores it
        assertEquals(json, fromYaml.toJson());
        layer.setActivationFn(Activation.SIGMOID.getActivationFunction());
        assertTrue(!json.equals(fromYaml.toJson()));
        assertEquals(cell == Cell.SIMPLE_RNN, conf.equals(fromYaml));
    }

    private static MultiLayerNetwork trained(Cell cell) throws ReflectiveOperationException {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(cell));
        net.init();
        DataSet ds = new DataSet(uniform(5, DataType.FLOAT, 4, N_IN, T), oneHot(6, DataType.FLOAT, 4, 4, 0));
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        return net;
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void modelSerializerRoundTripKeepsOutputsAndUpdaterState(Cell cell, @TempDir Path dir)
            throws IOException, ReflectiveOperationException {
        MultiLayerNetwork net = trained(cell);
        File file = dir.resolve("net.zip").toFile();
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

    @ParameterizedTest
    @EnumSource(Cell.class)
    void savedModelLoadsInFreshJvmWithOnlyRuntimeClasspath(Cell cell, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = trained(cell);
        File model = dir.resolve("net.zip").toFile();
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
        assertTrue(log.contains("layer 0: " + cell.implementation.getName()), log);
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
