package io.rnnkit.diagnose;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.nn.NetworkBuilder;
import io.rnnkit.report.Chart;
import io.rnnkit.train.RunDirectory;
import io.rnnkit.train.Trainer;
import io.rnnkit.train.TrainingProgress;
import io.rnnkit.train.TrainingResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code rnnkit diagnose}: the gradient-flow profile of every recurrent layer ({@link GradientFlow}) at
 * initialization and after a short training (the config's own, cut to a few epochs), written as
 * {@code gradient-flow.png} and {@code gradient-flow.csv}, with a verdict per layer.
 */
public final class Diagnosis {
    /** Sequences the profile is averaged over. */
    static final int BATCH = 64;

    private Diagnosis() {
    }

    public record Result(Path directory, List<GradientFlow.LayerProfile> initial, List<GradientFlow.LayerProfile> trained, int epochs) {
    }

    /** {@code loaded} should already carry the short training's epochs (the command sets training.epochs). */
    public static Result run(LoadedConfig loaded, Path outDir, TrainingProgress progress) {
        ExperimentConfig config = loaded.config();
        SplitData split = DatasetLoader.load(loaded);
        RunDirectory.checkUsable(outDir);
        PreparedData data = PreparedData.of(split, config);
        DataSet all = data.validation() != null && data.validation().numExamples() > 0 ? data.validation() : data.train();
        DataSet batch = all.numExamples() <= BATCH ? all : all.get(IntStream.range(0, BATCH).toArray());
        RunDirectory dir = RunDirectory.claim(outDir);

        MultiLayerNetwork initialNet = NetworkBuilder.build(config, split.features(), split.vocabulary(), split.outputs(),
                split.lossWeights(config.training().classWeights()));
        List<GradientFlow.LayerProfile> initial = GradientFlow.measure(config, initialNet, batch);
        TrainingResult trained = Trainer.train(config, data, progress);
        List<GradientFlow.LayerProfile> after = GradientFlow.measure(config, trained.network(), batch);

        int steps = initial.get(0).perStep().length;
        double[] back = IntStream.range(0, steps).mapToDouble(t -> steps - 1 - t).toArray();
        String cells = String.join(", ", after.stream().map(GradientFlow.LayerProfile::cell).distinct().toList());
        Chart chart = new Chart(config.name() + " (" + cells + "): error signal reaching each step", "steps back from the last step (T − t)",
                "mean ‖∂L/∂x_t‖₂ at the layer's input").logY();
        StringBuilder csv = new StringBuilder("layer,cell,t,steps_back,initial,trained,trained_clipped\n");
        for (int k = 0; k < after.size(); k++) {
            GradientFlow.LayerProfile a = initial.get(k);
            GradientFlow.LayerProfile b = after.get(k);
            double factor = b.parameterNorm() > 0 ? b.clippedNorm() / b.parameterNorm() : 1;
            double[] clipped = java.util.Arrays.stream(b.perStep()).map(v -> v * factor).toArray();
            String name = after.size() == 1 ? "" : "layer " + b.layer() + ": ";
            chart.add(new Chart.Series(name + "initial", back, a.perStep(), true));
            chart.add(new Chart.Series(name + "after " + trained.history().size() + " epochs", back, b.perStep()));
            if (factor < 1) {
                chart.add(new Chart.Series(name + "× clipping " + String.format(Locale.ROOT, "%.2g", factor), back, clipped, true));
            }
            for (int t = 0; t < steps; t++) {
                csv.append(b.layer()).append(',').append(b.cell()).append(',').append(t + 1).append(',').append(steps - 1 - t).append(',')
                        .append(a.perStep()[t]).append(',').append(b.perStep()[t]).append(',').append(clipped[t]).append('\n');
            }
        }
        chart.write(dir.resolve("gradient-flow.png"));
        dir.writeText("gradient-flow.csv", csv.toString());
        return new Result(dir.path(), initial, after, trained.history().size());
    }
}
