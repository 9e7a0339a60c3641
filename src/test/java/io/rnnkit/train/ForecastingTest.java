package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.eval.SplitMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forecasting a real series is worth something only if it beats the naive forecasts on the same test
 * windows: the seasonal-naive "same month last year" on the seasonal airline series (on MASE), and
 * persistence "tomorrow = today" on Melbourne's daily minimum temperatures (on MAE).
 */
class ForecastingTest {
    @TempDir
    Path dir;

    private ExperimentRunner.RunResult run(String config) {
        ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs", config), List.of()), dir.resolve("run"),
                TrainingProgress.SILENT);
        System.out.println(config + " test: " + r.metrics().get("test").values());
        return r;
    }

    private SplitMetrics test(String config) {
        return run(config).metrics().get("test");
    }

    @Test
    void airlinePassengersBeatSeasonalNaive() {
        TestData.require("airline_passengers/airline-passengers.csv");
        ExperimentRunner.RunResult r = run("airline-passengers-lstm.yaml");
        SplitMetrics m = r.metrics().get("test");
        assertTrue(m.get("mase") < m.get("seasonal_naive_mase"), "MASE " + m.get("mase") + " vs seasonal naive " + m.get("seasonal_naive_mase"));

        // an application loading the bundle forecasts the same levels from the same windows (log-ratio undone alike)
        io.rnnkit.bundle.RnnModel model = io.rnnkit.bundle.RnnModel.load(r.directory().resolve("model.zip"));
        io.rnnkit.data.SequenceSet windows = r.data().test();
        double sum = 0;
        for (int i = 0; i < windows.size(); i++) {
            sum += Math.abs(model.forecast(windows.sequence(i), 1)[0] - windows.target(i)[0]);
        }
        double mae = sum / windows.size();
        org.junit.jupiter.api.Assertions.assertEquals(m.get("mae"), mae, 1e-3 * m.get("mae"), "RnnModel.forecast reproduces the test MAE");
    }

    @Test
    void dailyTemperaturesBeatPersistence() {
        TestData.require("daily_min_temperatures/daily-min-temperatures.csv");
        SplitMetrics m = test("daily-min-temperatures-lstm.yaml");
        assertTrue(m.get("mae") < m.get("naive_mae"), "MAE " + m.get("mae") + " vs persistence " + m.get("naive_mae"));
    }
}
