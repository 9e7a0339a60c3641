package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.eval.SplitMetrics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Metro Interstate Traffic file exactly as published (repeated hours, gaps, text columns) forecasts the next
 * hour's volume better than persistence and than the same hour a week earlier, on the same test windows.
 */
@Tag("learning")
class TrafficTest {
    @TempDir
    Path dir;

    @Test
    void nextHourTrafficBeatsPersistenceAndTheSameHourAWeekEarlier() {
        Path file = TestData.require("traffic/Metro_Interstate_Traffic_Volume.csv");
        ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/traffic-lstm.yaml"), List.of()), dir.resolve("run"),
                TrainingProgress.SILENT);
        SplitMetrics m = r.metrics().get("test");
        System.out.println("traffic test: " + m.values() + "; data: " + r.data().forecast().report());
        assertTrue(m.get("mae") < m.get("naive_mae"), "MAE " + m.get("mae") + " vs persistence " + m.get("naive_mae"));
        assertTrue(m.get("mae") < m.get("seasonal_naive_mae"), "MAE " + m.get("mae") + " vs a week earlier " + m.get("seasonal_naive_mae"));

        // the file's quirks, as counted by the datasets' README: 48,204 rows on 40,575 hours, 2,588 gaps, the longest 7,387 hours
        Map<?, ?> time = (Map<?, ?>) r.data().forecast().report().read().get("time");
        assertEquals(48_204 - 40_575, time.get("merged_rows"));
        assertEquals(2_588, time.get("gaps"));
        assertEquals(7_386L, time.get("longest_gap_steps"), "a step of 7,387 hours leaves 7,386 out");

        // the bundle reads the file's raw text: the weather as the categories of training
        RnnModel model = RnnModel.load(r.directory().resolve("model.zip"));
        assertTrue(model.categories().byColumn().get("weather_main").contains("Clouds"));
        PredictionInput in = model.read(file);
        assertEquals(model.contract().features(), in.sequences().get(0)[0].length);
    }
}
