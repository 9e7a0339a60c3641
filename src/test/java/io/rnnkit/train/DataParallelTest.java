package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training on Spark ({@code training.distributed}, {@code local[2]} on 127.0.0.1): one worker that
 * averages after every minibatch is exactly a local run (the parameters, the updater's state and the iteration count
 * travel whole), and two workers reach the single-machine test accuracy on UCI synthetic control within 0.025 in at
 * most 1.5 times the epochs, the result an ordinary run directory with its bundle. In failsafe's spark execution.
 */
@Tag("spark")
class DataParallelTest {
    /** A tiny classifier without dropout, so a run is the same on any thread. */
    private static final String TINY = Yaml.MINIMAL.replace("training: {epochs: 1}",
            "training: {epochs: 3, batchSize: 8, checkpointEvery: 0, updaterRestart: never}");

    @TempDir
    Path dir;

    @Test
    void oneWorkerAveragingEveryMinibatchIsALocalRun() {
        ExperimentRunner.RunResult local = ExperimentRunner.run(ConfigLoader.parse(TINY, "tiny.yaml", List.of()), dir.resolve("local"),
                TrainingProgress.SILENT);
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        ExperimentRunner.RunResult spark = ExperimentRunner.run(ConfigLoader.parse(TINY, "tiny.yaml",
                List.of("training.distributed.spark=local[1]", "training.distributed.workers=1")), dir.resolve("spark"), new TrainingProgress() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("Spark ") && n.contains("master local[1,4]") && !n.contains("UI")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("data-parallel (experimental): 1 worker, 6 minibatches an epoch")), notes.toString());
        float[] expected = local.training().network().params().toFloatVector();
        assertArrayEquals(expected, spark.training().network().params().toFloatVector());
        assertEquals(local.training().history().stream().map(EpochRecord::trainLoss).toList(),
                spark.training().history().stream().map(EpochRecord::trainLoss).toList());
        assertEquals(local.training().network().getIterationCount(), spark.training().network().getIterationCount());
    }

    @Test
    void twoWorkersReachTheSingleMachineAccuracyOnSyntheticControl() throws Exception {
        TestData.require("synthetic_control/synthetic_control.data");
        int epochs = Integer.getInteger("rnnkit.test.dataParallelEpochs", 6);
        ExperimentRunner.RunResult single = train(List.of("training.epochs=" + epochs), "single");
        int parallelEpochs = epochs * 3 / 2;
        ExperimentRunner.RunResult parallel = train(List.of("training.epochs=" + parallelEpochs,
                "training.distributed.spark=local[2]", "training.distributed.workers=2"), "parallel");
        double a = single.metrics().get("test").get("accuracy");
        double b = parallel.metrics().get("test").get("accuracy");
        System.out.printf("synthetic control: one machine %d epochs, test accuracy %.4f, %.2f s an epoch; two workers on local[2]"
                        + " %d epochs, test accuracy %.4f, %.2f s an epoch%n", epochs, a, single.training().seconds() / epochs,
                parallelEpochs, b, parallel.training().seconds() / parallelEpochs);
        assertTrue(b >= a - 0.025, "two workers: test accuracy " + b + ", one machine " + a);
        assertEquals(parallelEpochs, parallel.training().history().size());

        // an ordinary run directory: its bundle predicts what metrics.json says
        Path run = parallel.directory();
        for (String file : List.of("config.yaml", "history.csv", "metrics.json", "status.json", "model.zip")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        Bundle bundle = Bundle.read(run.resolve("model.zip"));
        assertArrayEquals(parallel.training().network().params().toFloatVector(), bundle.network().params().toFloatVector());
    }

    private ExperimentRunner.RunResult train(List<String> overrides, String name) {
        return ExperimentRunner.run(ConfigLoader.load(Path.of("configs/synthetic-control-lstm.yaml"), overrides), dir.resolve(name),
                new TrainingProgress() {
                    @Override
                    public void epoch(EpochRecord r, int all) {
                        System.out.printf("%s epoch %d: loss %.4f %s %.1f s%n", name, r.epoch(), r.trainLoss(), r.validation(), r.seconds());
                    }

                    @Override
                    public void note(String message) {
                        System.out.println(name + ": " + message);
                    }
                });
    }
}
