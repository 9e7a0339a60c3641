package io.rnnkit.train;

import io.rnnkit.TrainedModels;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.SequenceSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many-to-many: a label at every step, padding masked out of loss and metrics. */
@Tag("learning")
class ManyToManyTest {
    @TempDir
    Path dir;

    private ExperimentRunner.RunResult run(LoadedConfig config) {
        return ExperimentRunner.run(config, dir.resolve("run-" + System.nanoTime()), TrainingProgress.SILENT);
    }

    @Test
    void shiftDetectionLabelsEveryStep() {
        ExperimentRunner.RunResult r = run(ConfigLoader.load(Path.of("configs/shift-detection-lstm.yaml"), List.of()));
        double accuracy = r.metrics().get("test").get("accuracy");
        System.out.println("shift detection per-step test metrics " + r.metrics().get("test").values());
        // a causal detector errs only in the few steps after a shift starts; chance is well below 0.6 here
        assertTrue(accuracy >= 0.97, "per-step accuracy " + accuracy);
        int[][] confusion = r.metrics().get("test").confusion();
        long steps = java.util.Arrays.stream(confusion).flatMapToInt(java.util.Arrays::stream).sum();
        assertEquals(r.data().test().size() * 60L, steps, "every real step of every test chart is scored once");
    }

    @Test
    void denoisingBeatsEchoingTheNoisyInput() {
        ExperimentRunner.RunResult r = run(ConfigLoader.load(Path.of("configs/denoising-lstm.yaml"), List.of()));
        SequenceSet test = r.data().test();
        double echo = 0;
        long n = 0;
        for (int i = 0; i < test.size(); i++) {
            for (int t = 0; t < test.sequence(i).length; t++) {
                echo += Math.abs(test.sequence(i)[t][0] - test.targetAt(i, t)[0]);
                n++;
            }
        }
        echo /= n;
        double mae = r.metrics().get("test").get("mae");
        System.out.println("denoising test MAE " + mae + " vs echoing the input " + echo);
        assertTrue(mae < 0.5 * echo, "denoising MAE " + mae + " is not under half the echo baseline " + echo);
    }

    @Test
    void variableLengthSequenceFilesWithPerStepLabelsAreMasked() {
        Path data = TrainedModels.perStepSequenceFiles(dir.resolve("data"), 40);   // the class of a step is the sign of its own input
        String yaml = """
                name: m2m
                task: {topology: many-to-many}
                data: {format: sequence-files, path: %s, split: {train: 0.5, validation: 0.25, test: 0.25}}
                model: {layers: [{type: simple-rnn, units: 8}]}
                training: {epochs: 30, batchSize: 8, updater: {learningRate: 0.02}}
                """.formatted(data);
        ExperimentRunner.RunResult r = run(ConfigLoader.parse(yaml, "m2m.yaml", List.of()));
        int[][] confusion = r.metrics().get("test").confusion();
        long steps = java.util.Arrays.stream(confusion).flatMapToInt(java.util.Arrays::stream).sum();
        long real = 0;
        for (int i = 0; i < r.data().test().size(); i++) {
            real += r.data().test().sequence(i).length;
        }
        assertEquals(real, steps, "padded steps are not scored");
        assertTrue(r.metrics().get("test").get("accuracy") >= 0.9, "the sign of each step is learnt: " + r.metrics().get("test").values());
    }

    @Test
    void topologyRulesAreCheckedAtLoad() {
        String rows = Yaml.problems("""
                name: t
                task: {topology: many-to-many}
                data: {format: rows, path: pom.xml, labels: {from: first-column}}
                model: {layers: [{type: lstm, units: 4}]}
                """).get(0);
        assertTrue(rows.contains("task.topology: many-to-many needs a label at every step, which format: rows does not give"), rows);
        String generator = Yaml.problems(Yaml.MINIMAL, "task.topology=many-to-many").get(0);
        assertTrue(generator.contains("the synthetic-control generator makes a many-to-one task; set task.topology: many-to-one"), generator);
    }

    @Test
    void tbpttLongerThanTheSequencesIsRefusedBeforeTraining() {
        LoadedConfig config = Yaml.load(Yaml.MINIMAL, "task.topology=many-to-many", "data.generator.kind=shift-detection",
                "training.tbpttLength=50");
        String message = org.junit.jupiter.api.Assertions.assertThrows(io.rnnkit.BadInputException.class,
                () -> io.rnnkit.data.DatasetLoader.load(config)).getMessage();
        assertEquals("--set training.tbpttLength=50: training.tbpttLength: 50 is longer than the longest training sequence (12 steps), so DL4J would silently"
                + " skip training; use at most 12, or 0 for full BPTT", message);
    }
}
