package io.rnnkit.diagnose;

import io.rnnkit.cli.Main;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.nn.NetworkBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient-flow profile against finite differences, and its verdicts on networks built to vanish or explode. */
class GradientFlowTest {
    private static final String RECALL = """
            name: g
            data:
              format: generated
              generator: {kind: recall, samplesPerClass: 12, length: %d}
              normalizer: none
            model:
              layers: %s
            training: {epochs: 1}
            """;

    @TempDir
    Path dir;

    private record Setup(ExperimentConfig config, MultiLayerNetwork net, DataSet data) {
    }

    private static Setup setup(int length, String layers, String... overrides) {
        LoadedConfig loaded = Yaml.load(RECALL.formatted(length, layers), overrides);
        SplitData split = DatasetLoader.load(loaded);
        PreparedData data = PreparedData.of(split, loaded.config());
        return new Setup(loaded.config(), NetworkBuilder.build(loaded.config(), split.features(), split.vocabulary(), split.outputs()), data.train());
    }

    /** g(t) = ‖∂L/∂x_t‖₂ of one sequence, by central differences of the network's score. */
    @Test
    void theProfileOfTheFirstLayerMatchesFiniteDifferences() {
        Setup s = setup(5, "[{type: simple-rnn, units: 3}]");
        DataSet one = s.data().get(new int[]{0});
        double[] measured = GradientFlow.measure(s.config(), s.net(), one).get(0).perStep();
        INDArray x = one.getFeatures().dup();
        double h = 1e-2;
        for (int t = 0; t < x.size(2); t++) {
            double sq = 0;
            for (int f = 0; f < x.size(1); f++) {
                double v = x.getDouble(0, f, t);
                x.putScalar(new long[]{0, f, t}, v + h);
                double up = s.net().score(new DataSet(x, one.getLabels()), false);
                x.putScalar(new long[]{0, f, t}, v - h);
                double down = s.net().score(new DataSet(x, one.getLabels()), false);
                x.putScalar(new long[]{0, f, t}, v);
                double d = (up - down) / (2 * h);
                sq += d * d;
            }
            double numeric = Math.sqrt(sq);
            assertEquals(numeric, measured[t], 0.03 * numeric + 1e-4, "step " + (t + 1));
        }
    }

    @Test
    void aHigherLayerIsMeasuredOnATailNetworkWithTheSameParameters() {
        Setup s = setup(6, "[{type: lstm, units: 5}, {type: simple-rnn, units: 4}]");
        MultiLayerNetwork tail = GradientFlow.tail(s.net(), 1);
        INDArray below = s.net().feedForward(s.data().getFeatures(), false).get(1);
        assertArrayEquals(s.net().output(s.data().getFeatures()).dup().data().asFloat(), tail.output(below).dup().data().asFloat(), 1e-6f,
                "layers 1.. as their own network compute what they compute inside the whole one");
        List<GradientFlow.LayerProfile> profiles = GradientFlow.measure(s.config(), s.net(), s.data());
        assertEquals(2, profiles.size());
        assertEquals("simple-rnn", profiles.get(1).cell());
        assertEquals(6, profiles.get(1).perStep().length);
    }

    @Test
    void verdictsTellVanishingFromExplodingAndClippingBoundsTheParameterGradient() {
        Setup tanh = setup(160, "[{type: simple-rnn, units: 16}]");
        GradientFlow.LayerProfile vanishing = GradientFlow.measure(tanh.config(), tanh.net(), tanh.data()).get(0);
        assertEquals("vanishes", vanishing.verdict(), vanishing.describe());

        Setup big = setup(40, "[{type: simple-rnn, units: 64, activation: identity}]", "model.weightInit=relu",
                "training.gradientClipping={type: clip-l2-per-layer, threshold: 1.0}");
        GradientFlow.LayerProfile exploding = GradientFlow.measure(big.config(), big.net(), big.data()).get(0);
        assertEquals("explodes", exploding.verdict(), exploding.describe());
        assertTrue(exploding.parameterNorm() > 1, exploding.describe());
        assertEquals(1.0, exploding.clippedNorm(), 1e-9, "clip-l2-per-layer rescales the layer's gradient to the threshold");
    }

    @Test
    void diagnoseWritesTheFigureAndTheDataAndSaysWhatItFound() throws Exception {
        Path config = Files.writeString(dir.resolve("g.yaml"), RECALL.formatted(12, "[{type: lstm, units: 4}]"));
        Path out = dir.resolve("d");
        assertEquals(0, Main.run("diagnose", config.toString(), "--epochs", "1", "--out", out.toString()));
        assertTrue(Files.size(out.resolve("gradient-flow.png")) > 5000, "a drawn figure");
        List<String> csv = Files.readAllLines(out.resolve("gradient-flow.csv"));
        assertEquals("layer,cell,t,steps_back,initial,trained,trained_clipped", csv.get(0));
        assertEquals(1 + 12, csv.size(), "one row per step of the one recurrent layer");
    }
}
