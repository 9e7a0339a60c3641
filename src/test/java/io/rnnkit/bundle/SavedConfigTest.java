package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A bundle loads from its contract and saved config without the training-time rules: a rule added to a later
 * rnnkit (here one a saved config breaks, truncated BPTT on a many-to-one network) does not refuse an older model.
 */
class SavedConfigTest {
    @TempDir
    Path dir;

    @Test
    void aSavedConfigThatTodaysRulesRefuseStillLoadsAndAnswersAsBefore() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        Bundle saved = Bundle.read(trained.bundle());
        String yaml = YamlTrees.toYaml(saved.config());
        String ruleBreaking = yaml.replace("tbpttLength: 0", "tbpttLength: 5");
        assertNotEquals(yaml, ruleBreaking, "the saved config names training.tbpttLength");
        assertThrows(ConfigException.class, () -> ConfigLoader.parseWithoutFileChecks(ruleBreaking, "rules.yaml"),
                "today's rules refuse it");
        ExperimentConfig config = ConfigLoader.parseSaved(ruleBreaking, "saved.yaml");
        assertEquals(5, config.training().tbpttLength());
        Path file = dir.resolve("model.zip");
        new Bundle(saved.network(), saved.normalizer(), config, saved.contract(), saved.provenance()).write(file);

        RnnModel model = RnnModel.load(file);
        double[][] sequence = trained.run().data().test().sequence(0);
        assertArrayEquals(RnnModel.load(trained.bundle()).classify(sequence).probabilities(), model.classify(sequence).probabilities(), 1e-9);
    }

    @Test
    void aConfigThatMakesAnotherTaskThanTheContractSaysIsRefused() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        Bundle saved = Bundle.read(trained.bundle());
        String yaml = YamlTrees.toYaml(saved.config());
        String other = yaml.replace("kind: classification", "kind: regression");
        assertNotEquals(yaml, other, "the saved config names task.kind");
        Path file = dir.resolve("model.zip");
        new Bundle(saved.network(), saved.normalizer(), ConfigLoader.parseSaved(other, "saved.yaml"), saved.contract(), saved.provenance())
                .write(file);
        assertEquals("the bundle's contract says many-to-one classification, but its config makes a many-to-one regression model"
                + " (regressor): a modified or damaged bundle", assertThrows(BundleException.class, () -> RnnModel.load(file)).getMessage());
    }

    @Test
    void aSavedConfigThatDoesNotBindIsStillRefused() {
        assertThrows(ConfigException.class, () -> ConfigLoader.parseSaved("name: t\nmodel: {layers: [{type: lstn, units: 4}]}\n", "saved.yaml"));
    }
}
