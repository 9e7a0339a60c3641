package io.rnnkit.cli;

import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A series with a text column: its categories are saved in the bundle, and predict and RnnModel read the raw text. */
class CategoricalSeriesTest {
    @TempDir
    Path dir;

    /** Hourly rows {@code time,volume,weather}: the weather cycles Clear, Rain, Snow; the volume follows it. */
    private Path series(String name, int hours, String lastWeather) throws IOException {
        StringBuilder csv = new StringBuilder("time,volume,weather\n");
        String[] weather = {"Clear", "Rain", "Snow"};
        for (int h = 0; h < hours; h++) {
            String w = h == hours - 1 && lastWeather != null ? lastWeather : weather[h % 3];
            csv.append(String.format("2020-01-%02dT%02d:00,%d,%s%n", 1 + h / 24, h % 24, 10 + 5 * (h % 3), w));
        }
        return Files.writeString(dir.resolve(name), csv.toString());
    }

    @Test
    void categoriesRoundTripThroughTheBundleAndPredictTakesRawText() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                name: weather
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: time, categorical: [weather], target: volume}
                  window: {lookback: 4, horizon: 1}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(series("train.csv", 90, null)));
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        Path bundle = run.directory().resolve("model.zip");

        Bundle.Manifest manifest = Bundle.verify(bundle);
        assertEquals(BundleFormat.VERSION, manifest.formatVersion(), "categories came in format 5; a bundle is written in the current one");
        assertTrue(manifest.entries().containsKey(BundleFormat.CATEGORIES));
        RnnModel model = RnnModel.load(bundle);
        assertEquals(Map.of("weather", List.of("Clear", "Rain", "Snow", "<other>")), model.categories().byColumn());
        assertEquals(List.of("volume", "weather=Clear", "weather=Rain", "weather=Snow", "weather=<other>"), model.contract().featureNames());
        assertTrue(Files.readString(run.directory().resolve("metrics.json")).contains("\"categories_other\""));

        // new data with a weather the model never saw: read as its <other> feature and counted, the window still forecast
        Path recent = series("recent.csv", 6, "Hail");
        PredictionInput in = model.read(recent);
        assertEquals(3, in.sequences().size());
        assertArrayEquals(new double[]{20, 0, 0, 0, 1}, in.sequences().get(2)[3]);
        assertArrayEquals(new double[]{15, 0, 1, 0, 0}, in.sequences().get(2)[2]);
        assertEquals(List.of("recent.csv: steps read as <other> (categories unseen in training): {weather=1}"), in.notes());
        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", recent.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("note: recent.csv: steps read as <other> (categories unseen in training): {weather=1}"), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("time,t+1", lines.get(0));
        assertEquals(4, lines.size());
        assertEquals(model.predict(in.sequences()).get(2)[0], Double.parseDouble(lines.get(3).split(",")[1]), 1e-4);
    }
}
