package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.HeadConfig;
import io.rnnkit.config.HeadKind;
import io.rnnkit.config.Task;
import io.rnnkit.config.WindowReference;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.Scaler;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import io.rnnkit.nn.FusedInference;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prediction intervals (model.head): the config's rules, the labels repeated per group, the quantiles de-normalized
 * like the point values, and a briefly trained quantile forecaster whose bundle and {@code rnnkit predict} give the
 * evaluated point values and quantiles.
 */
class PredictionIntervalsTest {
    @TempDir
    Path dir;

    private String forecaster() {
        return TrainedModels.quantileForecasterYaml(TrainedModels.series(dir.resolve("series.csv"), 160, false));
    }

    @Test
    void theHeadIsValidatedWithItsYamlPath() {
        ConfigException crossing = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(forecaster().replace("[0.1, 0.5, 0.9]", "[0.5, 0.1, 0.9]"), "q.yaml", List.of()));
        assertTrue(crossing.getMessage().contains("model.head.levels") && crossing.getMessage().contains("increase strictly"), crossing.getMessage());
        ConfigException outside = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(forecaster().replace("[0.1, 0.5, 0.9]", "[0.5, 1.0]"), "q.yaml", List.of()));
        assertTrue(outside.getMessage().contains("model.head.levels"), outside.getMessage());
        ConfigException noMedian = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(forecaster().replace("[0.1, 0.5, 0.9]", "[0.1, 0.9]"), "q.yaml", List.of()));
        assertTrue(noMedian.getMessage().contains("model.head.levels") && noMedian.getMessage().contains("0.5"), noMedian.getMessage());
        // a gaussian head's point forecast is its mean, so its levels need no median
        assertEquals(HeadKind.GAUSSIAN, Task.of(ConfigLoader.parse(forecaster().replace("type: quantile, levels: [0.1, 0.5, 0.9]",
                "type: gaussian, levels: [0.05, 0.95]"), "q.yaml", List.of()).config()).head().type());
        ConfigException classifier = assertThrows(ConfigException.class,
                () -> Yaml.load(Yaml.MINIMAL, "model.head.type=quantile"));
        assertTrue(classifier.getMessage().contains("model.head.type") && classifier.getMessage().contains("classifier"), classifier.getMessage());
        assertEquals(HeadConfig.POINT.type(), Task.of(Yaml.load(Yaml.MINIMAL).config()).head().type(), "point by default");
    }

    @Test
    void labelsAreRepeatedOverTheHeadsGroup() {
        io.rnnkit.config.LoadedConfig config = ConfigLoader.parse(forecaster(), "q.yaml", List.of());
        PreparedData data = PreparedData.of(train().data(), config.config());
        INDArray labels = data.train().getLabels();
        assertEquals(6, labels.size(1), "2 steps x 3 quantiles");
        for (int j = 0; j < 6; j++) {
            assertEquals(labels.getDouble(4, (j / 3) * 3), labels.getDouble(4, j), 0);
        }
        assertTrue(labels.getDouble(4, 0) != labels.getDouble(4, 3) || labels.getDouble(5, 0) != labels.getDouble(5, 3));
    }

    /** A network whose output is its bias whatever the input: the head's raw outputs, chosen. */
    private static Predictor.Networks constant(float... outputs) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(1).nOut(2).build()))
                .layer(new OutputLayer.Builder().nIn(2).nOut(outputs.length).activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .setInputType(InputType.recurrent(1)).build());
        net.init();
        net.params().assign(0);
        net.getLayer(1).setParam("b", Nd4j.createFromArray(outputs).reshape(1, outputs.length));
        FusedInference inference = FusedInference.of(net);
        return new Predictor.Networks() {
            @Override
            public <T> T use(Function<FusedInference, T> work) {
                return work.apply(inference);
            }
        };
    }

    /** Labels standardized with mean 0 and deviation 2: an output of x is 2x in the data's units, a change since the last value. */
    private static Scaler twiceAsWide() {
        NormalizerStandardize n = new NormalizerStandardize(Nd4j.createFromArray(0f).reshape(1, 1), Nd4j.createFromArray(1f).reshape(1, 1),
                Nd4j.createFromArray(0f).reshape(1, 1), Nd4j.createFromArray(2f).reshape(1, 1));
        n.fitLabel(true);
        return Scaler.of(n);
    }

    @Test
    void quantilesAreDeNormalizedLikeThePointValues() {
        double[][] window = {{7}, {9}, {10}};
        Task quantile = new Task.DirectForecaster(WindowReference.DIFFERENCE, new HeadConfig(HeadKind.QUANTILE, List.of(0.1, 0.5, 0.9)));
        Predictor.Answer q = new Predictor(quantile, twiceAsWide(), 1, 0, constant(-1f, 0.25f, 1.5f)).predict(List.<double[][]>of(window), 1).get(0);
        assertArrayEquals(new double[]{10.5}, q.values()[0], 1e-6, "the median, scaled back, plus the last value");
        assertArrayEquals(new double[]{8, 10.5, 13}, q.intervals().quantiles()[0], 1e-6);
        assertNull(q.intervals().scales());
        Task gaussian = new Task.DirectForecaster(WindowReference.DIFFERENCE, new HeadConfig(HeadKind.GAUSSIAN, List.of(0.1, 0.9)));
        Predictor.Answer g = new Predictor(gaussian, twiceAsWide(), 1, 0, constant(0.5f, 0.25f)).predict(List.<double[][]>of(window), 1).get(0);
        assertArrayEquals(new double[]{11}, g.values()[0], 1e-6, "the mean");
        assertEquals(0.5, g.intervals().scales()[0], 1e-6, "the scale widened by the normalizer's deviation");
        double z = 1.2815515655446004;
        assertArrayEquals(new double[]{11 - z * 0.5, 11 + z * 0.5}, g.intervals().quantiles()[0], 1e-5);
        Task logRatio = new Task.DirectForecaster(WindowReference.LOG_RATIO, new HeadConfig(HeadKind.QUANTILE, List.of(0.1, 0.5, 0.9)));
        Predictor.Answer r = new Predictor(logRatio, twiceAsWide(), 1, 0, constant(-0.05f, 0f, 0.05f)).predict(List.<double[][]>of(window), 1).get(0);
        assertArrayEquals(new double[]{10 * Math.exp(-0.1), 10, 10 * Math.exp(0.1)}, r.intervals().quantiles()[0], 1e-5);
    }

    @Test
    void aSavedQuantileModelGivesTheEvaluatedFiguresAndPredictWritesItsQuantiles() throws Exception {
        ExperimentRunner.RunResult run = train();
        Path bundle = run.directory().resolve("model.zip");
        RnnModel model = RnnModel.load(bundle);
        SequenceSet test = run.data().test();
        List<double[][]> windows = TrainedModels.sequences(test);
        List<double[]> points = model.predict(windows);
        List<Predictor.Intervals> intervals = model.forecastIntervals(windows);
        double absolute = 0;
        double covered = 0;
        int n = 0;
        for (int i = 0; i < test.size(); i++) {
            for (int j = 0; j < 2; j++) {
                double y = test.target(i)[j];
                double[] q = intervals.get(i).quantiles()[j];
                assertEquals(points.get(i)[j], q[1], 1e-9, "the point forecast is the median");
                assertTrue(q[0] <= q[1] && q[1] <= q[2], "quantiles do not cross");
                absolute += Math.abs(points.get(i)[j] - y);
                covered += y >= q[0] && y <= q[2] ? 1 : 0;
                n++;
            }
        }
        assertEquals(run.metrics().get("test").get("mae"), absolute / n, 1e-9);
        assertEquals(run.metrics().get("test").get("coverage_80"), covered / n, 1e-12);
        assertTrue(run.metrics().get("test").values().containsKey("pinball_q0.9") && run.metrics().get("test").values().containsKey("width_80"));

        StringBuilder csv = new StringBuilder("t,value\n");
        double[][] window = windows.get(0);
        for (int t = 0; t < window.length; t++) {
            csv.append(t).append(',').append(window[t][0]).append('\n');
        }
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", bundle.toString(), "--input",
                java.nio.file.Files.writeString(dir.resolve("input.csv"), csv).toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(List.of("t", "t+1", "t+2", "t+1_q0.1", "t+1_q0.9", "t+2_q0.1", "t+2_q0.9"), List.of(lines.get(0).split(",")));
        String[] last = lines.get(lines.size() - 1).split(",");
        double[][] q = intervals.get(0).quantiles();
        assertArrayEquals(new double[]{points.get(0)[0], points.get(0)[1], q[0][0], q[0][2], q[1][0], q[1][2]},
                java.util.Arrays.stream(last, 1, 7).mapToDouble(Double::parseDouble).toArray(), 1e-9);
        assertThrows(UnsupportedByModelException.class, () -> RnnModel.load(TrainedModels.forecaster().bundle()).forecastIntervals(window));

        // the forecast plot's points carry the 80 % interval of each window shown (the last window's last step last)
        List<String> plotted = java.nio.file.Files.readAllLines(run.directory().resolve("plots/forecast.csv"));
        assertTrue(plotted.get(0).endsWith(",lower,upper"), plotted.get(0));
        String[] lastPoint = plotted.get(plotted.size() - 1).split(",");
        double[] lastQuantiles = intervals.get(test.size() - 1).quantiles()[1];
        assertEquals(lastQuantiles[0], Double.parseDouble(lastPoint[lastPoint.length - 2]), 1e-9);
        assertEquals(lastQuantiles[2], Double.parseDouble(lastPoint[lastPoint.length - 1]), 1e-9);

        // rnnkit evaluate on the saved model reads the labels as training did (one per quantile): the same loss and coverage
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("q.yaml"), forecaster());
        CliTest.Outcome evaluated = CliTest.rnnkit("evaluate", "--config", config.toString(), "--model", bundle.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        for (String metric : List.of("loss", "coverage_80", "pinball_q0.1")) {
            String expected = metric + "=" + String.format(java.util.Locale.ROOT, "%.4f", run.metrics().get("test").get(metric));
            assertTrue(evaluated.out().contains(expected), expected + " in " + evaluated.out());
        }
    }

    @Test
    void aGaussianForecasterIsScoredByCrpsAndItsBundleGivesTheEvaluatedMeans() {
        String yaml = forecaster().replace("type: quantile, levels: [0.1, 0.5, 0.9]", "type: gaussian, levels: [0.05, 0.95]");
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.parse(yaml, "g.yaml", List.of()), dir.resolve("g"), TrainingProgress.SILENT);
        java.util.Map<String, Double> test = run.metrics().get("test").values();
        assertTrue(test.get("crps") > 0 && test.containsKey("coverage_90") && test.containsKey("pinball_q0.05"), test.toString());
        RnnModel model = RnnModel.load(run.directory().resolve("model.zip"));
        List<double[][]> windows = TrainedModels.sequences(run.data().test());
        List<double[]> means = model.predict(windows);
        double absolute = 0;
        for (int i = 0; i < windows.size(); i++) {
            Predictor.Intervals in = model.forecastIntervals(windows.get(i));
            for (int j = 0; j < 2; j++) {
                absolute += Math.abs(means.get(i)[j] - run.data().test().target(i)[j]);
                assertEquals(means.get(i)[j], (in.quantiles()[j][0] + in.quantiles()[j][1]) / 2, 1e-6, "symmetric about the mean");
            }
        }
        assertEquals(test.get("mae"), absolute / (2.0 * windows.size()), 1e-9);
    }

    private ExperimentRunner.RunResult train() {
        return ExperimentRunner.run(ConfigLoader.parse(forecaster(), "q.yaml", List.of()), dir.resolve("run"), TrainingProgress.SILENT);
    }
}
