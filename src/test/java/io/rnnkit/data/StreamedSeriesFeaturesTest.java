package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streamed series whose categories and missing-value fills are learnt from its training part ({@link SeriesFeatures}),
 * and whose repeated times are merged as they come: the splits, the report, the fills and the categories are the
 * in-memory path's to the bit, and a run on the published files writes the in-memory run's metrics.json.
 */
class StreamedSeriesFeaturesTest {
    @TempDir
    Path dir;

    /**
     * A series (or three, with a site column) with a categorical column whose test part holds a category training never
     * saw, hours repeated on consecutive rows (merged: the mean of y, the categories together), and markers "NA" in every
     * numeric column, filled by each policy.
     */
    private static String file(boolean panel) {
        StringBuilder text = new StringBuilder("t,site,y,x,z,kind\n");
        for (int k = 0; k < (panel ? 3 : 1); k++) {
            for (int t = 0; t < 120 + 7 * k; t++) {
                String y = t % 17 == 5 ? "NA" : String.valueOf(Math.sin(0.3 * t + k) + 0.01 * t);
                String x = t % 11 == 3 || t % 11 == 4 || t == 0 ? "NA" : String.valueOf(Math.cos(0.2 * t) * (k + 1));
                String z = t % 29 == 7 ? "NA" : String.valueOf(t % 5);
                String kind = t > 100 && t % 3 == 0 ? "new" : t % 4 == 0 ? "a" : t % 4 == 1 ? "b" : "c";
                text.append(t).append(",s").append(k).append(',').append(y).append(',').append(x).append(',').append(z).append(',')
                        .append(kind).append('\n');
                if (t % 9 == 2) { // the same hour again, another kind, y another value
                    text.append(t).append(",s").append(k).append(",").append(t % 2 == 0 ? "NA" : "0.25").append(',').append(x).append(',')
                            .append(z).append(",d\n");
                }
            }
        }
        return text.toString();
    }

    private Path config(boolean panel, String policy) throws IOException {
        Files.writeString(dir.resolve("s.csv"), file(panel));
        return Files.writeString(dir.resolve("s.yaml"), """
                name: features
                seed: 3
                task: {topology: many-to-one, kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, %svalueColumns: [y, x, z, kind], categorical: [kind], duplicates: mean, seasonalPeriod: 6}
                  missing:
                    markers: [NA]
                    policy: %s
                    columns:
                      - {column: x, policy: linear}
                      - {column: z, policy: drop}
                  window: {lookback: 5, horizon: 2}
                  split: {train: 0.6, validation: 0.2, test: 0.2}
                  streaming: {enabled: always, cacheDir: %s}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(dir.resolve("s.csv"), panel ? "idColumns: [site], " : "", policy, dir.resolve("cache")));
    }

    @ParameterizedTest
    @CsvSource({"false, mask", "false, forward-fill", "true, mask", "true, forward-fill"})
    void categoriesFillsAndRepeatedTimesAreThoseOfTheSeriesReadWhole(boolean panel, String policy) throws IOException {
        Path yaml = config(panel, policy);
        SplitData memory = DatasetLoader.loadForTraining(ConfigLoader.load(yaml, List.of("data.streaming.enabled=never")), n -> { });
        SplitData streamed = DatasetLoader.loadForTraining(ConfigLoader.load(yaml, List.of()), n -> { });
        assertTrue(streamed.train().streamed());
        assertEquals(memory.featureNames(), streamed.featureNames());
        assertTrue(streamed.featureNames().contains("kind=d") && streamed.featureNames().contains("kind=<other>"), streamed.featureNames().toString());
        assertEquals(policy.equals("mask"), streamed.featureNames().contains("y_missing"));
        assertEquals(memory.fingerprint(), streamed.fingerprint());
        assertEquals(memory.forecast().categories(), streamed.forecast().categories());
        assertEquals(memory.forecast().fills(), streamed.forecast().fills());
        assertEquals(panel, streamed.forecast().fills() == null);
        assertEquals(memory.forecast().scale(), streamed.forecast().scale(), 0);
        SeriesReport report = streamed.forecast().report();
        assertEquals(memory.forecast().report(), report);
        // what the data holds is exercised: merged hours, an unseen category, values filled, windows dropped and unscored
        Map<String, Object> time = panel ? null : (Map<String, Object>) report.read().get("time");
        assertTrue(panel || (int) time.get("merged_rows") > 10, report.toString());
        assertTrue(report.read().get("categories_other").toString().contains("test={kind="), report.toString());
        assertTrue(((Map<?, ?>) report.splits().get("train")).get("windowsDropped") instanceof Integer dropped && dropped > 0, report.toString());
        SeriesStreamingTest.assertSameWindows(memory, streamed);
    }

    /** A repeated hour that a column's policy refuses is refused at its line, as in memory; one apart from its hour too. */
    @Test
    void repeatedTimesTheInMemoryReaderRefusesAreRefusedAtTheirLine() throws IOException {
        Path yaml = config(false, "mask");
        List<String> refuse = List.of("data.series.duplicates=refuse");
        DataException memory = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml,
                List.of("data.streaming.enabled=never", "data.series.duplicates=refuse")), n -> { }));
        DataException streamed = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml, refuse), n -> { }));
        assertTrue(streamed.getMessage().contains("s.csv:5: time 2 repeats line 4"), streamed.getMessage());
        assertTrue(memory.getMessage().contains(streamed.getMessage().substring(streamed.getMessage().indexOf("s.csv:5:"))), memory.getMessage());
        // an hour that comes again after another: the in-memory reader sorts (order: sort); the stream cannot
        Files.writeString(dir.resolve("s.csv"), file(false).replace("\n4,s0,", "\n2,s0,"));
        DataException apart = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml, List.of()), n -> { }));
        assertTrue(apart.getMessage().contains("s.csv:7: time 2 is earlier than line 6"), apart.getMessage());
    }

    /** A categorical static column whose category changes within a series is refused at its line, as in memory. */
    @Test
    void aCategoricalStaticColumnThatChangesIsRefusedAtItsLine() throws IOException {
        Path yaml = config(true, "forward-fill"); // mask adds features after the static ones: not beside covariates
        // each site its kind, but line 150 (series s1) another
        List<String> lines = new ArrayList<>(List.of(file(true).split("\n")));
        for (int l = 1; l < lines.size(); l++) {
            String line = lines.get(l);
            String site = line.split(",")[1];
            lines.set(l, line.substring(0, line.lastIndexOf(',') + 1) + (l == 149 ? "zeta" : "kind-" + site));
        }
        Files.writeString(dir.resolve("s.csv"), String.join("\n", lines) + "\n");
        List<String> statics = List.of("data.series.valueColumns=[y, x, z]", "data.series.staticColumns=[kind]");
        List<String> never = new ArrayList<>(statics);
        never.add("data.streaming.enabled=never");
        DataException memory = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml, never), n -> { }));
        DataException streamed = assertThrows(DataException.class, () -> DatasetLoader.loadForTraining(ConfigLoader.load(yaml, statics), n -> { }));
        String at = streamed.getMessage().substring(streamed.getMessage().indexOf("s.csv:"));
        assertTrue(at.startsWith("s.csv:150: static column feature kind=kind-s1 is 0.0 here but 1.0 on line"), streamed.getMessage());
        assertTrue(memory.getMessage().contains(at), memory.getMessage() + "\n" + streamed.getMessage());
    }

    /**
     * The published files, trained streamed and read whole (one epoch, the training windows one shard): the same
     * metrics.json, byte for byte. Traffic: text columns one-hot, repeated hours merged, gaps filled and cut; air quality:
     * -200 markers carried forward and masked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"traffic-lstm", "air-quality-lstm"})
    @Tag("learning")
    void thePublishedFilesTrainStreamedToTheMetricsOfTheRunReadWhole(String name) throws IOException {
        List<String> small = List.of("training.epochs=1", "data.window.stride=24", "model.layers[0].units=8", "data.streaming.shardSize=100000",
                "data.streaming.cacheDir=" + dir.resolve("cache"));
        String[] metrics = new String[2];
        for (String mode : List.of("always", "never")) {
            List<String> overrides = new ArrayList<>(small);
            overrides.add("data.streaming.enabled=" + mode);
            LoadedConfig loaded = ConfigLoader.load(Path.of("configs", name + ".yaml"), overrides);
            io.rnnkit.train.ExperimentRunner.RunResult run = io.rnnkit.train.ExperimentRunner.run(loaded, dir.resolve(mode),
                    io.rnnkit.train.TrainingProgress.SILENT);
            assertEquals(mode.equals("always"), run.data().train().streamed());
            metrics[mode.equals("always") ? 0 : 1] = Files.readString(run.directory().resolve("metrics.json"));
        }
        assertTrue(metrics[1].contains("\"mase\""), metrics[1]);
        assertEquals(metrics[1], metrics[0]);
    }
}
