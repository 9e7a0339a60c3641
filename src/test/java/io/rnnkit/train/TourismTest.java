package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.eval.SplitMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tourism panel exactly as published (304 quarterly series in long format): one network across all series, an
 * 8-quarter direct forecast whose mean MASE over the series is below the seasonal-naive forecast's on the same windows,
 * with a row per series in the run's series-metrics.csv.
 */
@Tag("learning")
class TourismTest {
    @TempDir
    Path dir;

    @Test
    void eightQuarterForecastBeatsSeasonalNaiveOnMeanMaseOverTheSeries() throws IOException {
        Path file = TestData.require("panel/tourism.csv");
        ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/tourism-lstm.yaml"), List.of()), dir.resolve("run"),
                TrainingProgress.SILENT);
        SplitMetrics m = r.metrics().get("test");
        System.out.println("tourism test: mean MASE " + m.get("mase") + " vs seasonal naive " + m.get("seasonal_naive_mase")
                + " and naive " + m.get("naive_mase") + "; best epoch " + r.training().bestEpoch() + ", " + r.training().seconds() + " s");
        assertEquals(304, m.series().size());
        assertTrue(m.get("mase") < m.get("seasonal_naive_mase"), "mean MASE " + m.get("mase") + " vs seasonal naive " + m.get("seasonal_naive_mase"));

        // one row per series and split in the run directory, the quoted region kept whole
        List<String> rows = Files.readAllLines(r.directory().resolve(ExperimentRunner.SERIES_METRICS));
        assertTrue(rows.get(0).startsWith("split,Region,State,Purpose,windows,mae,"), rows.get(0));
        assertEquals(304, rows.stream().filter(l -> l.startsWith("test,")).count());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("test,\"Launceston, Tamar and the North\",Tasmania,Business,1,")));

        // predict reads the same file: every window of every series, keyed by the series' id
        RnnModel model = RnnModel.load(r.directory().resolve("model.zip"));
        PredictionInput in = model.read(file);
        assertEquals(304 * (80 - 12 + 1), in.sequences().size());
        assertEquals(List.of("Adelaide", "South Australia", "Business"), in.seriesIds().get(0));
        assertEquals(8, model.predict(in).get(0).length);
    }
}
