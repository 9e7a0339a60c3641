package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.eval.Backtest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 12-month backtest of the airline passengers (configs/airline-passengers-backtest.yaml): from 25 origins over the
 * last three years, the model's mean MASE is below seasonal naive's at every horizon, and its 80 % interval holds
 * 0.65-0.95 of the 300 forecasts.
 */
@Tag("learning")
class BacktestLearningTest {
    @TempDir
    Path dir;

    @Test
    void airlinePassengersBeatSeasonalNaiveAtEveryHorizonWithACalibratedInterval() throws Exception {
        TestData.require("airline_passengers/airline-passengers.csv");
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(Path.of("configs", "airline-passengers-backtest.yaml"),
                List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        Backtest.Result backtest = run.backtest();
        BacktestRun.summary(backtest).forEach(System.out::println);
        assertTrue(backtest.origins() >= 24, backtest.origins() + " origins");
        assertEquals(12, backtest.horizons().size());
        for (Backtest.Figures step : backtest.horizons()) {
            double model = step.values().get("mase");
            double seasonal = step.values().get("seasonal_naive_mase");
            assertTrue(model < seasonal, "t+" + step.key() + ": MASE " + model + " vs seasonal naive " + seasonal);
        }
        double coverage = backtest.overall().get("coverage_80");
        assertTrue(coverage >= 0.65 && coverage <= 0.95, "80 % interval coverage " + coverage);
        assertTrue(Files.isRegularFile(run.directory().resolve(BacktestRun.HORIZONS)));
    }
}
