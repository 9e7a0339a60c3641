package io.rnnkit.eval;

import io.rnnkit.bundle.Predictor;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.WindowReference;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forecast figures per step ahead, undefined percentages, and a seasonal-naive baseline longer than the window. */
class ForecastMetricsTest {
    @TempDir
    Path dir;

    /** The model's forecasts for each window, as a predictor answers a direct forecaster. */
    private static List<Predictor.Answer> answers(double[][] forecasts) {
        List<Predictor.Answer> out = new ArrayList<>();
        for (double[] f : forecasts) {
            float[] network = new float[f.length];
            for (int j = 0; j < f.length; j++) {
                network[j] = (float) f[j];
            }
            out.add(new Predictor.Answer(new float[][]{network}, new double[][]{f}));
        }
        return out;
    }

    private static SplitMetrics score(SequenceSet windows, SplitData.Forecast forecast, double[][] forecasts) {
        return Evaluator.regression(answers(forecasts), (i, j, t) -> windows.target(i)[j], windows, forecast);
    }

    /** Windows of lookback 1 and horizon 2 cut from {@code y} at the given origins (index of the first target). */
    private static SequenceSet windows(double[] y, int... origins) {
        List<double[][]> inputs = new ArrayList<>();
        double[][] targets = new double[origins.length][];
        for (int k = 0; k < origins.length; k++) {
            inputs.add(new double[][]{{y[origins[k] - 1]}});
            targets[k] = new double[]{y[origins[k]], y[origins[k] + 1]};
        }
        return SequenceSet.windows(inputs, targets, origins);
    }

    @Test
    void perHorizonFiguresOfTheModelAndBothBaselines() {
        double[] y = {3, 1, 4, 1, 5, 9, 2, 6};
        SequenceSet set = windows(y, 4, 6); // targets (5, 9) and (2, 6)
        // season 2 is longer than the one-step window: the baseline must read the series
        SplitData.Forecast forecast = new SplitData.Forecast(0, 2, 2.0, WindowReference.NONE, ForecastStrategy.DIRECT, y, null);
        SplitMetrics m = score(set, forecast, new double[][]{{6, 7}, {2, 8}}); // errors (1, −2), (0, 2)

        assertEquals(1.25, m.get("mae"), 1e-12);
        assertEquals(2, m.horizons().size());
        SplitMetrics.Horizon first = m.horizons().get(0);
        SplitMetrics.Horizon second = m.horizons().get(1);
        assertEquals(1, first.step());
        assertEquals(2, second.step());
        // model: step 1 errors 1, 0; step 2 errors −2, 2
        assertEquals(0.5, first.values().get("mae"), 1e-12);
        assertEquals(Math.sqrt(0.5), first.values().get("rmse"), 1e-12);
        assertEquals(0.25, first.values().get("mase"), 1e-12);
        assertEquals(2.0, second.values().get("mae"), 1e-12);
        assertEquals(2.0, second.values().get("rmse"), 1e-12);
        assertEquals(1.0, second.values().get("mase"), 1e-12);
        // naive repeats y[origin − 1] = 1 and 9: step 1 errors −4, 7; step 2 errors −8, 3
        assertEquals(5.5, first.values().get("naive_mae"), 1e-12);
        assertEquals(Math.sqrt(32.5), first.values().get("naive_rmse"), 1e-12);
        assertEquals(Math.sqrt(36.5), second.values().get("naive_rmse"), 1e-12);
        // seasonal naive (m = 2): step 1 repeats y[origin − 2] = 4, 5 (errors −1, 3); step 2 y[origin − 1] (errors −8, 3)
        assertEquals(2.0, first.values().get("seasonal_naive_mae"), 1e-12);
        assertEquals(Math.sqrt(5), first.values().get("seasonal_naive_rmse"), 1e-12);
        assertEquals(1.0, first.values().get("seasonal_naive_mase"), 1e-12);
        assertEquals(5.5, second.values().get("seasonal_naive_mae"), 1e-12);
        assertEquals((1 + 8 + 3 + 3) / 4.0, m.get("seasonal_naive_mae"), 1e-12);
    }

    @Test
    void percentageErrorsOfASeriesHoldingZerosAreUndefinedWithTheReason() {
        double[] y = {1, 2, 0, 4, 5, 0, 7};
        SequenceSet set = windows(y, 2, 4); // targets (0, 4) and (5, 0)
        SplitData.Forecast forecast = new SplitData.Forecast(0, 1, 1.0, WindowReference.NONE, ForecastStrategy.DIRECT, y, null);
        SplitMetrics m = score(set, forecast, new double[][]{{1, 4}, {5, 1}});

        for (String name : List.of("mape", "naive_mape")) {
            assertFalse(m.values().containsKey(name), name);
            assertEquals("the series holds zeros (2 of the 4 targets scored are 0)", m.undefined().get(name));
        }
        // sMAPE stays defined: a term with a zero actual has a nonzero denominator unless the forecast is 0 too
        assertEquals(100 * (2.0 / 1 + 0 + 0 + 2.0 / 1) / 4, m.get("smape"), 1e-12);
        assertTrue(m.values().values().stream().allMatch(Double::isFinite), m.values().toString());
    }

    @Test
    void maseOfAConstantTrainingSeriesIsUndefinedNotInfinite() {
        double[] y = {2, 2, 2, 2, 3, 4};
        SequenceSet set = windows(y, 4);
        SplitData.Forecast forecast = new SplitData.Forecast(0, 1, 0.0, WindowReference.NONE, ForecastStrategy.DIRECT, y, null);
        SplitMetrics m = score(set, forecast, new double[][]{{3, 3}});
        assertFalse(m.values().containsKey("mase"));
        assertTrue(m.undefined().get("mase").contains("scale"), m.undefined().toString());
        assertTrue(m.horizons().get(0).undefined().containsKey("naive_mase"));
    }

    @Test
    void aLookbackShorterThanTheSeasonValidatesAndItsSeasonalNaiveMaseIsTheHandComputation() throws IOException {
        // y_t = 10·(t mod 12) + t: a season of 12 on a trend, so y_t − y_{t−12} = 12 everywhere
        StringBuilder csv = new StringBuilder("Month,Value\n");
        for (int t = 0; t < 72; t++) {
            csv.append(String.format("%d-%02d,%d%n", 1950 + t / 12, t % 12 + 1, 10 * (t % 12) + t));
        }
        Path f = Files.writeString(dir.resolve("season.csv"), csv);
        SplitData data = DatasetLoader.load(ConfigLoader.parse("name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: " + f
                + "\n  series: {timeColumn: Month, timeFormat: yyyy-MM, seasonalPeriod: 12}\n  window: {lookback: 4, horizon: 3}\n"
                + "  split: {train: 0.5, validation: 0.25, test: 0.25}\nmodel: {layers: [{type: lstm, units: 4}]}\n", "t.yaml", List.of()));
        // the first window's first target has a whole season before it: origin 12, inputs y[8..12)
        assertEquals(12, data.train().origin(0));
        assertEquals(10 * 8 + 8, data.train().sequence(0)[0][0], 1e-12);
        assertEquals(12.0, data.forecast().scale(), 1e-12); // mean |y_t − y_{t−12}| over the training part
        for (SequenceSet split : List.of(data.train(), data.validation(), data.test())) {
            double[][] zeros = new double[split.size()][3];
            SplitMetrics m = score(split, data.forecast(), zeros);
            assertEquals(12.0, m.get("seasonal_naive_mae"), 1e-12);
            assertEquals(1.0, m.get("seasonal_naive_mase"), 1e-12);
            for (SplitMetrics.Horizon h : m.horizons()) {
                assertEquals(1.0, h.values().get("seasonal_naive_mase"), 1e-12);
            }
        }
    }
}
