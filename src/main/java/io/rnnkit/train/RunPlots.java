package io.rnnkit.train;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.report.Chart;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The figures of a run directory's {@code plots/}: loss curves, the early-stopping metric per epoch, the
 * per-layer gradient norms, and the test split's confusion matrix (classification) or forecast against the
 * actual series and the naive baseline (forecasting).
 */
final class RunPlots {
    static final String DIR = "plots";

    private RunPlots() {
    }

    static void write(Path runDir, ExperimentConfig config, List<EpochRecord> history, Map<String, SplitMetrics> metrics,
                      MultiLayerNetwork net, PreparedData data) {
        Path dir = runDir.resolve(DIR);
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        Chart loss = new Chart(config.name() + ": loss per epoch", "epoch", "loss")
                .add(new Chart.Series("train", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray()));
        if (history.stream().anyMatch(r -> r.validation().containsKey("loss"))) {
            loss.add(new Chart.Series("validation", epochs, values(history, "loss")));
        }
        loss.write(dir.resolve("loss.png"));

        String metric = YamlNames.of(config.training().earlyStopping().metric());
        if (!metric.equals("loss") && history.stream().anyMatch(r -> r.validation().containsKey(metric))) {
            new Chart(config.name() + ": validation " + metric + " per epoch", "epoch", metric)
                    .add(new Chart.Series("validation " + metric, epochs, values(history, metric)))
                    .write(dir.resolve("metric.png"));
        }

        Set<String> layers = new TreeSet<>();
        history.forEach(r -> layers.addAll(r.gradientNorms().keySet()));
        if (!layers.isEmpty()) {
            Chart gradients = new Chart(config.name() + ": gradient norm per layer (before clipping)", "epoch",
                    "mean ‖∂L/∂θ‖₂ over the epoch's minibatches").logY();
            for (String layer : layers) {
                gradients.add(new Chart.Series("layer " + layer + " (" + net.getLayer(Integer.parseInt(layer)).getClass().getSimpleName() + ")",
                        epochs, history.stream().mapToDouble(r -> r.gradientNorms().getOrDefault(layer, Double.NaN)).toArray()));
            }
            gradients.write(dir.resolve("gradients.png"));
        }

        SplitData split = data.split();
        SplitMetrics test = metrics.get("test");
        if (test != null && test.confusion() != null) {
            Chart.write(Chart.confusion(config.name() + ": confusion matrix (test split)", split.classes(), test.confusion()),
                    dir.resolve("confusion.png"));
        }
        if (split.forecast() != null && split.test().size() > 1) {
            forecast(config, net, data).write(dir.resolve("forecast.png"));
        }
    }

    /** The first forecast step of every test window, in order: actual, the network's, and naive ("same as the last step"). */
    private static Chart forecast(ExperimentConfig config, MultiLayerNetwork net, PreparedData data) {
        SequenceSet test = data.split().test();
        INDArray predicted = Evaluator.predictions(net, data.test(), data.normalizer());
        int n = test.size();
        double[] x = new double[n];
        double[] actual = new double[n];
        double[] model = new double[n];
        double[] naive = new double[n];
        int target = data.split().forecast().targetFeature();
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            actual[i] = test.target(i)[0];
            model[i] = predicted.getDouble(i, 0);
            double[][] window = test.sequence(i);
            naive[i] = window[window.length - 1][target];
        }
        return new Chart(config.name() + ": one step ahead on the test split", "test window (in time order)",
                data.split().classes().isEmpty() ? "value" : data.split().classes().get(0))
                .add(new Chart.Series("actual", x, actual))
                .add(new Chart.Series("rnnkit forecast", x, model))
                .add(new Chart.Series("naive baseline (last value)", x, naive, true));
    }

    private static double[] values(List<EpochRecord> history, String key) {
        List<Double> out = new ArrayList<>();
        history.forEach(r -> out.add(r.validation().getOrDefault(key, Double.NaN)));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
