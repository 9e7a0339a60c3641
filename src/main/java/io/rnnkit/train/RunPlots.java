package io.rnnkit.train;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.TaskKind;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.report.Chart;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import io.rnnkit.bundle.Predictor;

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

        // the task's own metric: the one early stopping watches, unless that is the loss (already shown above)
        String chosen = YamlNames.of(config.training().earlyStopping().metric());
        String metric = !chosen.equals("loss") ? chosen : config.task().kind() == TaskKind.CLASSIFICATION ? "accuracy" : "mae";
        if (history.stream().anyMatch(r -> r.validation().containsKey(metric))) {
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
                int index = Integer.parseInt(layer);
                String kind = index < config.model().layers().size() ? YamlNames.of(config.model().layers().get(index).type()) : "output";
                gradients.add(new Chart.Series("layer " + layer + " (" + kind + ")",
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

    /** Forecast windows shown: the most recent ones, few enough for the eye to follow each line. */
    private static final int FORECAST_WINDOWS = 120;

    /**
     * The first forecast step of the last {@link #FORECAST_WINDOWS} test windows, in time order: actual, the
     * network's, and the naive forecast ("the same as the last observed step").
     */
    private static Chart forecast(ExperimentConfig config, MultiLayerNetwork net, PreparedData data) {
        SequenceSet test = data.split().test();
        List<Predictor.Answer> predicted = Evaluator.answers(Predictor.on(net, config, data.normalizer(), data.split()), test);
        int first = Math.max(0, test.size() - FORECAST_WINDOWS);
        int n = test.size() - first;
        double[] x = new double[n];
        double[] actual = new double[n];
        double[] model = new double[n];
        double[] naive = new double[n];
        int target = data.split().forecast().targetFeature();
        for (int k = 0; k < n; k++) {
            int i = first + k;
            x[k] = i + 1;
            actual[k] = test.target(i)[0];
            model[k] = predicted.get(i).valuesAt(0)[0];
            double[][] window = test.sequence(i);
            naive[k] = window[window.length - 1][target];
        }
        String what = config.data().series().target() == null ? "value" : config.data().series().target();
        return new Chart(config.name() + ": one step ahead, last " + n + " test windows", "test window (in time order)", what)
                .add(new Chart.Series("actual", x, actual))
                .add(new Chart.Series("rnnkit forecast", x, model))
                .add(new Chart.Series("naive (last value)", x, naive, true));
    }

    private static double[] values(List<EpochRecord> history, String key) {
        List<Double> out = new ArrayList<>();
        history.forEach(r -> out.add(r.validation().getOrDefault(key, Double.NaN)));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
