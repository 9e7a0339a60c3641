package io.rnnkit.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.DataException;
import io.rnnkit.data.RowsGenerator;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code training.distributed} over the streaming cache ({@code local[2]}): each worker reads its own minibatches from the
 * cache the driver built (of sequences, or of a series' steps), and the run ends with the metrics.json and parameters of the same run on data read whole; an
 * executor that cannot open the cache folder says what the folder must be. In failsafe's spark execution.
 */
@Tag("spark")
class StreamedDataParallelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ExperimentRunner.RunResult train(Path config, String name, List<String> overrides, List<String> notes) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(List.of("training.distributed.spark=local[2]", "training.distributed.workers=2", "training.distributed.averagingFrequency=2"));
        return ExperimentRunner.run(ConfigLoader.load(config, all), dir.resolve(name), new TrainingProgress() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
    }

    /**
     * Streamed and read whole, the same run: metrics.json and the parameters agree to the bit (a streamed minibatch is as
     * wide as the split's tensors, so its shape, and a dropout mask drawn over it, are the in-memory minibatch's).
     */
    private void sameRun(Path config, List<String> overrides) throws Exception {
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        List<String> streaming = new ArrayList<>(overrides);
        streaming.addAll(List.of("data.streaming.enabled=always", "data.streaming.cacheDir=" + dir.resolve("cache")));
        ExperimentRunner.RunResult streamed = train(config, "streamed", streaming, notes);
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("data-parallel") && n.contains("the workers read the streaming cache " + dir.resolve("cache"))),
                notes.toString());
        List<String> whole = new ArrayList<>(overrides);
        whole.add("data.streaming.enabled=never");
        ExperimentRunner.RunResult memory = train(config, "memory", whole, new ArrayList<>());
        JsonNode a = JSON.readTree(streamed.directory().resolve("metrics.json").toFile());
        JsonNode b = JSON.readTree(memory.directory().resolve("metrics.json").toFile());
        for (String split : new String[]{"train", "validation", "test"}) {
            assertEquals(b.get(split), a.get(split), split);
        }
        assertTrue(b.get("test").size() > 2, b.toString());
        assertArrayEquals(memory.training().network().params().toFloatVector(), streamed.training().network().params().toFloatVector());
    }

    @Test
    void twoWorkersOnTheCacheTrainAsTwoWorkersOnDataReadWhole() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 400, 16, 3);
        Path config = Files.writeString(dir.resolve("rows.yaml"), """
                name: rows
                seed: 7
                task: {topology: many-to-one, kind: classification}
                data: {format: rows, path: %s, labels: {from: last-column}}
                model:
                  layers:
                    - {type: lstm, units: 6}
                training: {epochs: 2, batchSize: 16, updater: {type: adam, learningRate: 0.01}}
                """.formatted(data));
        sameRun(config, List.of());
    }

    /** Sentences of different lengths (cut at 60 words), with the shipped dropout. */
    @Test
    void theShippedSentimentConfigTrainsTheSameStreamedOnTwoWorkers() throws Exception {
        io.rnnkit.TestData.require("sentiment_labelled_sentences/yelp_labelled.txt");
        sameRun(Path.of("configs/sentiment-lstm.yaml"), List.of("training.epochs=2"));
    }

    /** A series: each worker cuts its windows from the cache of the series' steps that the driver built. */
    @Test
    void theShippedAirlineSeriesTrainsTheSameStreamedOnTwoWorkers() throws Exception {
        io.rnnkit.TestData.require("airline_passengers/airline-passengers.csv");
        sameRun(Path.of("configs/airline-passengers-lstm.yaml"), List.of("training.epochs=1", "model.layers[0].units=8"));
    }

    @Test
    void anExecutorThatCannotOpenTheCacheSaysWhereItMustBe() throws Exception {
        Path config = Files.writeString(dir.resolve("series.yaml"), """
                name: series
                task: {kind: regression}
                data: {format: series, path: %s, series: {timeColumn: t}, window: {lookback: 2, horizon: 1}}
                model: {layers: [{type: lstm, units: 2}]}
                """.formatted(Files.writeString(dir.resolve("series.csv"), "t,y\n1,2\n2,3\n")));
        io.rnnkit.config.LoadedConfig loaded = ConfigLoader.load(config, List.of());
        DataException e = assertThrows(DataException.class, () -> DataParallel.Worker.open(loaded, dir.resolve("elsewhere").toString()));
        assertTrue(e.getMessage().startsWith("training.distributed: the executor on ") && e.getMessage().contains(dir.resolve("elsewhere").toString())
                && e.getMessage().contains("data.streaming.cacheDir must be a folder on storage every executor sees"), e.getMessage());
        // as Spark reports it to the driver after the task's last attempt: the worker's line, without Spark's
        RuntimeException spark = new RuntimeException("Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most recent failure:"
                + " Lost task 1.3 (TID 7) (node-2 executor 1): " + e + "\n\tat io.rnnkit.train.DataParallel$Worker.open(DataParallel.java:1)");
        assertEquals(e.getMessage(), DataParallel.workersData(spark).getMessage());
        assertEquals(null, DataParallel.workersData(new RuntimeException("Job aborted: java.lang.OutOfMemoryError")));
    }
}
