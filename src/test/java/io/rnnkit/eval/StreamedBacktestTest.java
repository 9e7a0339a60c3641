package io.rnnkit.eval;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backtest of a streamed series ({@code evaluation.backtest} with {@code data.streaming}): its test windows are views over
 * the mapped cache, a refit's training windows too, and the run's metrics.json, backtest.csv and backtest-horizons.csv are
 * the in-memory run's byte for byte; what stays refused for a series is refused by the config rules, streamed or not.
 */
class StreamedBacktestTest {
    private static final List<String> FILES = List.of("metrics.json", "backtest.csv", "backtest-horizons.csv");

    @TempDir
    Path dir;

    private LoadedConfig load(Path config, String streaming, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.addAll(List.of("data.streaming.enabled=" + streaming, "data.streaming.cacheDir=" + dir.resolve("cache")));
        return ConfigLoader.load(config, all);
    }

    /** The run read whole and streamed: the same backtest files, byte for byte; the streamed run's notes. */
    private List<String> assertSameBacktest(Path config, String... overrides) throws IOException {
        ExperimentRunner.run(load(config, "never", overrides), dir.resolve("memory"), TrainingProgress.SILENT);
        List<String> notes = new ArrayList<>();
        ExperimentRunner.run(load(config, "always", overrides), dir.resolve("streamed"), new TrainingProgress() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        assertTrue(notes.get(0).startsWith("data: streamed from the cache"), notes.toString());
        for (String file : FILES) {
            assertEquals(Files.readString(dir.resolve("memory").resolve(file)), Files.readString(dir.resolve("streamed").resolve(file)), file);
        }
        assertTrue(Files.readString(dir.resolve("streamed/metrics.json")).contains("\"backtest\""));
        return notes;
    }

    /** The shipped airline backtest (every origin of the test part, 12 months ahead, quantiles), refitted twice. */
    @Test
    void theShippedAirlineBacktestStreamedIsTheInMemoryOneByteForByte() throws IOException {
        io.rnnkit.TestData.require("airline_passengers/airline-passengers.csv");
        List<String> notes = assertSameBacktest(Path.of("configs/airline-passengers-backtest.yaml"), "training.epochs=1",
                "training.weightAveraging.lastEpochs=1", "model.layers[0].units=8", "evaluation.backtest.refitEvery=10");
        assertTrue(notes.contains("backtest: training again on 82 windows"), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("backtest: 25 origins 1 step(s) apart, 12 steps ahead, refitted 2 times")),
                notes.toString());
    }

    /** Two series, each scaled on its own: each one's origins, and a refit scaling each by its own training windows. */
    @Test
    void aPanelBacktestStreamedIsTheInMemoryOneByteForByte() throws IOException {
        Path config = io.rnnkit.PanelBacktest.write(dir);
        List<String> notes = assertSameBacktest(config);
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("backtest: 11 origins 1 step(s) apart, 2 steps ahead, refitted 2 times")),
                notes.toString());
    }

    /**
     * The windows a backtest reads are still views over the cache, with the origins the in-memory windows have: the test
     * windows it picks, and a refit's training windows (the training part, then the test windows before the origin).
     */
    @Test
    void aStreamedBacktestReadsViewsOfTheCacheWithTheInMemoryOrigins() {
        io.rnnkit.TestData.require("airline_passengers/airline-passengers.csv");
        Path config = Path.of("configs/airline-passengers-backtest.yaml");
        SplitData memory = DatasetLoader.loadForTraining(load(config, "never"), n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(load(config, "always"), n -> { });
        int[] relative = Backtest.relativeOrigins(streamed.test(), null);
        SequenceSet picked = streamed.test().view(new int[]{2, 5});
        assertTrue(picked.streamed());
        assertEquals(memory.test().origin(5), picked.origin(1));
        assertArrayEquals(memory.test().sequence(5)[3], picked.sequence(1)[3], 0);
        SequenceSet before = Backtest.trainingBefore(streamed, relative, 20, 12);
        SequenceSet held = Backtest.trainingBefore(memory, Backtest.relativeOrigins(memory.test(), null), 20, 12);
        assertTrue(before.streamed());
        assertEquals(memory.train().size() + 9, before.size(), "test windows 0-8 end before origin 20");
        assertEquals(held.size(), before.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(held.origin(i), before.origin(i));
            assertArrayEquals(held.target(i), before.target(i), 0);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "data.testPath=y.csv, data.testPath:",
            "training.crossValidation.folds=3, training.crossValidation.folds:"})
    void aTestFileAndFoldsOfASeriesAreRefusedByTheConfigRulesStreamedOrNot(String setting, String path) throws IOException {
        Path csv = Files.writeString(dir.resolve("y.csv"), "t,y\n1,2\n2,3\n3,4\n");
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                name: refused
                task: {kind: regression}
                data: {format: series, path: %s, series: {timeColumn: t}, window: {lookback: 1, horizon: 1}}
                model: {layers: [{type: lstm, units: 2}]}
                """.formatted(csv));
        for (String streaming : List.of("never", "always")) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(config, streaming, setting.replace("y.csv", csv.toString())));
            assertTrue(e.getMessage().contains(path), e.getMessage());
        }
    }
}
