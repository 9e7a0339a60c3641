package io.rnnkit.train;

import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.DataException;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A series labelled per step from incident windows: its chunks, its split, its classes, and the faults of its config. */
class WindowLabelsTest {
    @TempDir
    Path dir;

    /** 40 hourly steps from 1 January 2020 00:00, with a gap of 3 hours after step 35 when {@code gap}. */
    private Path series(boolean gap) throws IOException {
        StringBuilder csv = new StringBuilder("time,value\n");
        for (int t = 0; t < 40; t++) {
            int hour = gap && t > 35 ? t + 3 : t;
            csv.append(String.format("2020-01-%02d %02d:00,%d%n", 1 + hour / 24, hour % 24, t % 7));
        }
        return Files.writeString(dir.resolve("s.csv"), csv);
    }

    /** Windows at steps 5-7 (no label: anomaly) and 30-33 (spike). */
    private Path windows() throws IOException {
        return Files.writeString(dir.resolve("w.csv"), "start,end,label\n2020-01-01 05:00,2020-01-01 07:00,\n2020-01-02 06:00,2020-01-02 09:00,spike\n");
    }

    private String config(Path series, Path windows, String extra) {
        return """
                name: tagger
                task: {topology: many-to-many, kind: classification}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: time}
                  labels: {windows: %s}
                  window: {length: 8, stride: 4}
                  split: {train: 0.5, validation: 0.25, test: 0.25}
                model:
                  layers:
                    - {type: gru, units: 4}
                training: {epochs: 2, batchSize: 4, classWeights: balanced}
                """.formatted(series, windows) + extra;
    }

    private SplitData load(String yaml, String... overrides) {
        return DatasetLoader.load(ConfigLoader.parse(yaml, "t.yaml", List.of(overrides)));
    }

    private static int[] labels(SequenceSet set, int i) {
        int[] out = new int[set.sequence(i).length];
        for (int t = 0; t < out.length; t++) {
            out[t] = set.classAt(i, t);
        }
        return out;
    }

    @Test
    void theSeriesIsCutIntoChunksOfItsPartsWithEveryStepInsideAWindowLabelled() throws IOException {
        SplitData data = load(config(series(false), windows(), ""));
        assertEquals(List.of("anomaly", "normal", "spike"), data.classes());
        // train: steps 0-19, chunks of 8 starting 4 apart, the last cut at the part's end
        assertEquals(4, data.train().size());
        assertEquals(List.of(8, 8, 8, 8), List.of(0, 1, 2, 3).stream().map(i -> data.train().sequence(i).length).toList());
        assertArrayEquals(new int[]{1, 1, 1, 1, 1, 0, 0, 0}, labels(data.train(), 0));
        assertArrayEquals(new int[]{1, 0, 0, 0, 1, 1, 1, 1}, labels(data.train(), 1));
        assertEquals(5.0, data.train().sequence(1)[1][0], "step 5's value");
        // validation (steps 20-29) and test (30-39): consecutive chunks, every step once, the last one short
        assertEquals(List.of(8, 2), List.of(data.validation().sequence(0).length, data.validation().sequence(1).length));
        assertArrayEquals(new int[]{2, 2, 2, 2, 1, 1, 1, 1}, labels(data.test(), 0));
        assertArrayEquals(new long[]{0, 10, 0}, data.validation().labelCounts(3));
        assertArrayEquals(new long[]{0, 6, 4}, data.test().labelCounts(3));
        assertEquals(List.of("value"), data.featureNames());
    }

    @Test
    void chunksEndAtAnUnfilledGap() throws IOException {
        SplitData data = load(config(series(true), windows(), ""));
        // test: steps 30-35, then the gap, then 36-39
        assertEquals(List.of(6, 4), List.of(data.test().sequence(0).length, data.test().sequence(1).length));
    }

    @Test
    void aTrainingPartWithoutWindowsIsRefusedWithItsYamlPath() throws IOException {
        Path late = Files.writeString(dir.resolve("late.csv"), "start,end\n2020-01-02 08:00,2020-01-02 09:00\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(config(series(false), late, "")));
        assertTrue(e.getMessage().contains("data.split.train: the training part (the first 20 of 40 steps, up to 2020-01-01 19:00) holds no step"
                + " inside a window of " + late + ", so there is nothing to learn; the first window starts 2020-01-02 08:00"), e.getMessage());
    }

    @Test
    void aWindowOutsideTheSeriesNamesItsLine() throws IOException {
        Path outside = Files.writeString(dir.resolve("o.csv"), "start,end\n2020-01-01 05:00,2020-01-03 00:00\n");
        DataException e = assertThrows(DataException.class, () -> load(config(series(false), outside, "")));
        assertEquals(outside + ":2: the window 2020-01-01 05:00 to 2020-01-03 00:00 reaches outside the series, which runs from"
                + " 2020-01-01 00:00 to 2020-01-02 15:00", e.getMessage());
    }

    @Test
    void declaredClassesMustHoldNormalAndEveryWindowLabel() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(config(series(false), windows(), ""), "data.labels.classes=[normal, anomaly]"));
        assertTrue(e.getMessage().contains("data.labels.classes: 'spike' is a class of the steps"), e.getMessage());
        assertEquals(List.of("normal", "spike", "anomaly"),
                load(config(series(false), windows(), ""), "data.labels.classes=[normal, spike, anomaly]").classes());
    }

    @Test
    void misconfigurationsAreNamedByTheirYamlPath() throws IOException {
        String ok = config(series(false), windows(), "");
        assertEquals(List.of("test.yaml:2: task.kind: labels from windows are classes (normal and the windows' labels): set task.kind: classification"),
                Yaml.problems(ok.replace("kind: classification", "kind: regression").replace(", classWeights: balanced", "")));
        assertEquals(List.of("test.yaml:8: data.window.length: a series tagged per step is cut into chunks: give their length in steps, such as 96"),
                Yaml.problems(ok.replace("length: 8, ", "")));
        assertTrue(Yaml.problems(ok.replace("stride: 4", "stride: 4, horizon: 3")).get(0).contains("data.window: horizon, strategy and reference"));
        assertTrue(Yaml.problems(ok.replace("topology: many-to-many", "topology: many-to-one")).get(0)
                .contains("task.topology: labels from windows tag every step of the series: set task.topology: many-to-many"));
        assertTrue(Yaml.problems(ok.replace("series: {timeColumn: time}", "series: {}")).get(0)
                .contains("data.series.timeColumn: the windows are times, so the series needs its time"));
        assertTrue(Yaml.problems(ok.replace("w.csv", "none.csv")).get(0).contains("data.labels.windows: data file"), "a missing windows file");
        assertTrue(Yaml.problems(ok.replace("series: {timeColumn: time}", "series: {timeColumn: time, categorical: [value]}")).get(0)
                .contains("data.series.categorical: a series tagged per step reads numeric value columns only"));
        // the forecast's settings without windows
        String forecast = ok.replace("many-to-many, kind: classification", "many-to-one, kind: regression")
                .replace("labels: {windows: " + windows() + "}", "labels: {key: k}").replace(", classWeights: balanced", "");
        List<String> p = Yaml.problems(forecast);
        assertTrue(p.stream().anyMatch(s -> s.contains("data.labels.key: picks a series in a JSON windows file, but data.labels.windows is not given")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("data.window.length: applies to a series tagged per step")), p.toString());
        assertTrue(Yaml.problems(Yaml.MINIMAL.replace("data:", "task: {kind: regression}\ndata:").replace("generator: {samplesPerClass: 10, length: 12}",
                        "generator: {kind: denoising, samplesPerClass: 10, length: 12}").replace("{epochs: 1}", "{epochs: 1, classWeights: balanced}")
                        .replace("many-to-one", "many-to-many"))
                .stream().anyMatch(s -> s.contains("training.classWeights: weigh the classes of a classification task; task.kind is regression")));
    }

    @Test
    void trainsSavesAndReloadsWithBalancedWeights() throws IOException {
        LoadedConfig loaded = ConfigLoader.parse(config(series(false), windows(), ""), "t.yaml", List.of());
        ExperimentRunner.RunResult r = ExperimentRunner.run(loaded, dir.resolve("run"), TrainingProgress.SILENT);
        // the saved config says balanced, and loads back into the same config
        String saved = Files.readString(r.directory().resolve("config.yaml"));
        assertTrue(saved.contains("classWeights: balanced"), saved);
        assertEquals(loaded.config(), ConfigLoader.parseSaved(saved, "config.yaml"));
        // the weights are in the bundle's network: anomaly 6 of the 32 training labels (chunks overlap), spike none (weight 1)
        RnnModel model = RnnModel.load(r.directory().resolve("model.zip"));
        assertEquals(List.of("anomaly", "normal", "spike"), model.contract().classes());
        // predict reads the series as the test part was cut: consecutive chunks, each keyed by its first step's time
        io.rnnkit.data.PredictionInput in = model.read(dir.resolve("s.csv"));
        assertEquals(List.of(8, 8, 8, 8, 8), in.sequences().stream().map(c -> c.length).toList());
        assertEquals(List.of("2020-01-01 00:00", "2020-01-01 08:00"), in.keys().subList(0, 2));
        assertEquals(8, model.classifySteps(in.sequences().get(1)).size());
        String network;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(r.directory().resolve("model.zip").toFile())) {
            network = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(network.contains("LossMCXENT"), network);
        assertTrue(network.replaceAll("\\s", "").contains("\"weights\":{\"dataType\":\"FLOAT\",\"shape\":[1,3],\"data\":["
                        + (float) (32.0 / (2 * 6)) + "," + (float) (32.0 / (2 * 26)) + ",1.0]}"),
                network);
        String metrics = Files.readString(r.directory().resolve("metrics.json"));
        assertTrue(metrics.replaceAll("\\s", "").contains("\"perClass\":{\"anomaly\":{\"precision\""), metrics);
        assertTrue(metrics.contains("\"recall\""), metrics);
    }
}
