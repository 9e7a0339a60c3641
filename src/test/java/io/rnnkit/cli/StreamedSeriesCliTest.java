package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.data.SeriesGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series through the streaming path from the command line: shipped series configs (one series, many) train to the very
 * metrics.json of the in-memory path, and a series whose reading whole does not fit a 64 MB heap trains and is backtested
 * there streamed.
 */
@Tag("learning") // trainings and child JVMs: in mvn verify, not the fast tier
class StreamedSeriesCliTest {
    @TempDir
    Path dir;

    private void train(String config, String streaming, Path out) {
        assertEquals(0, Main.run("train", Path.of("configs", config + ".yaml").toString(), "--set", "training.epochs=1",
                "--set", "data.streaming.enabled=" + streaming, "--set", "data.streaming.cacheDir=" + dir.resolve("cache"),
                "--out", out.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"airline-passengers-lstm", "daily-min-temperatures-recursive-lstm", "airline-passengers-quantile-lstm", "tourism-lstm",
            "daily-min-temperatures-calendar-lstm"})
    void aShippedSeriesTrainsStreamedToTheMetricsOfTheInMemoryPath(String config) throws IOException {
        train(config, "never", dir.resolve("memory"));
        train(config, "always", dir.resolve("streamed"));
        JsonNode memory = new ObjectMapper().readTree(dir.resolve("memory/metrics.json").toFile());
        JsonNode streamed = new ObjectMapper().readTree(dir.resolve("streamed/metrics.json").toFile());
        assertTrue(memory.get("test").get("mase").isNumber(), memory.toString());
        assertEquals(memory, streamed);
        Path series = dir.resolve("memory/series-metrics.csv"); // many series: each one's figures too
        assertEquals(config.startsWith("tourism"), Files.exists(series));
        if (Files.exists(series)) {
            assertEquals(Files.readString(series), Files.readString(dir.resolve("streamed/series-metrics.csv")));
            // evaluate streams the data for the bundle, each series scaled by the bundle's own scaling, and scores it as training did
            CliTest.Outcome evaluated = CliTest.rnnkit("evaluate", "--model", dir.resolve("streamed/model.zip").toString(), "--config",
                    Path.of("configs", config + ".yaml").toString(), "--set", "data.streaming.enabled=always", "--set",
                    "data.streaming.cacheDir=" + dir.resolve("cache"));
            assertEquals(0, evaluated.code(), evaluated.err());
            assertTrue(evaluated.err().contains("304 series of"), evaluated.err());
            assertTrue(evaluated.out().contains(String.format(java.util.Locale.ROOT, "mase=%.4f", streamed.get("test").get("mase").asDouble())),
                    evaluated.out());
        }
    }

    private Path config(Path data, String streaming) throws IOException {
        return Files.writeString(dir.resolve(streaming + ".yaml"), """
                name: long-series
                seed: 5
                task: {topology: many-to-one, kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: step, seasonalPeriod: 24}
                  window: {lookback: 8, horizon: 2, stride: 4}
                  # a window step is a double[] of its own while a shard is made into tensors: more than the ~40 bytes a
                  # value shardSize assumes from maxHeapBytes, so an eighth of the heap here
                  streaming: {enabled: %s, cacheDir: %s, maxHeapBytes: 8388608}
                model:
                  layers:
                    - {type: lstm, units: 6}
                training:
                  epochs: 1
                  batchSize: 256
                  updater: {type: adam, learningRate: 0.01}
                evaluation: {backtest: {origins: 5, step: 100}}
                """.formatted(data, streaming, dir.resolve("cache")));
    }

    @Test
    void aSeriesTooLargeToReadWholeInA64MbHeapTrainsThereStreamed() throws Exception {
        Path data = dir.resolve("long.csv");
        SeriesGenerator.write(data, 600_000, 24, 9); // 9 MB of CSV: read whole, some 150 MB of heap
        Process whole = ChildJvm.start(dir.resolve("whole.log"), "64m", "validate", config(data, "never").toString());
        assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String wholeLog = Files.readString(dir.resolve("whole.log"));
        assertNotEquals(0, whole.exitValue(), wholeLog);
        assertTrue(wholeLog.contains("heap"), wholeLog);
        Process streamed = ChildJvm.start(dir.resolve("streamed.log"), "64m", "train", config(data, "always").toString(),
                "--out", dir.resolve("run").toString());
        assertTrue(streamed.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(dir.resolve("streamed.log"));
        assertEquals(0, streamed.exitValue(), log);
        assertTrue(log.contains("a series of 600000 steps"), log);
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("run/metrics.json").toFile());
        // one epoch of a small net on a strongly seasonal series: better than repeating the last value
        assertTrue(metrics.get("test").get("mae").asDouble() < metrics.get("test").get("naive_mae").asDouble(), metrics.toString());
        // the backtest's test windows are cut from the cache too
        assertEquals(5, metrics.get("backtest").get("origins").asInt(), metrics.toString());
        assertEquals(5 * 2, Files.readAllLines(dir.resolve("run/backtest.csv")).size() - 1);
    }
}
