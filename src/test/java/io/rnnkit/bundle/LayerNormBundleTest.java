package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.Tensors;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A layer-normalised model saved as a bundle (its configuration and parameters, nothing else) and loaded back
 * predicts exactly what the trained network did; the norms' gains and biases are among the saved parameters.
 */
class LayerNormBundleTest {

    @Test
    void layerNormalisedModelRoundTripsThroughTheBundle(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("ln.yaml"), Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 2}")
                .replace("- {type: lstm, units: 4}", "- {type: lstm, units: 4, bidirectional: true, layerNorm: true}\n    - {type: gru, units: 3, layerNorm: true}"));
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        Path model = run.directory().resolve("model.zip");
        MultiLayerNetwork trained = run.training().network();
        assertTrue(trained.getLayerWiseConfigurations().toJson().contains("\"layerNorm\" : true"));

        Bundle bundle = Bundle.read(model);
        assertEquals(trained.params(), bundle.network().params(), "the norms' gains and biases are saved with the rest");
        assertEquals(trained.getLayerWiseConfigurations(), bundle.network().getLayerWiseConfigurations());
        DataSet test = Tensors.dataSet(run.data().test(), run.data().outputs());
        bundle.normalizer().transform(test);
        INDArray expected = trained.output(test.getFeatures());
        assertArrayEquals(expected.data().asFloat(), bundle.network().output(test.getFeatures()).data().asFloat(), 0f);

        RnnModel loaded = RnnModel.load(model);
        List<double[][]> sequences = TrainedModels.sequences(run.data().test());
        List<Classification> answers = loaded.classify(sequences);
        assertEquals(expected.rows(), answers.size());
        for (int i = 0; i < sequences.size(); i++) {
            double[] p = answers.get(i).probabilities();
            for (int k = 0; k < p.length; k++) {
                assertEquals(expected.getDouble(i, k), p[k], 1e-6, "sequence " + i + ", class " + k);
            }
        }
    }
}
