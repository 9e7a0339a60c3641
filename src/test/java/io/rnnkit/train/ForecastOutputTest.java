package io.rnnkit.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.WindowReference;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What a forecast run writes: metrics.json without NaN or infinities, and the plot's points over whole horizons. */
class ForecastOutputTest {
    @Test
    void undefinedAndNonFiniteMetricsAreJsonNullsWithTheReason() throws Exception {
        Map<String, Double> values = new java.util.LinkedHashMap<>();
        values.put("mae", 1.5);
        values.put("loss", Double.NaN);
        values.put("rmse", Double.POSITIVE_INFINITY);
        String json = new ObjectMapper().writeValueAsString(
                ExperimentRunner.finiteJson(values, Map.of("mape", "the series holds zeros (1 of the 4 targets scored are 0)")));
        assertEquals("{\"mae\":1.5,\"loss\":null,\"loss_undefined\":\"not a finite number (NaN)\",\"rmse\":null,"
                + "\"rmse_undefined\":\"not a finite number (Infinity)\",\"mape\":null,"
                + "\"mape_undefined\":\"the series holds zeros (1 of the 4 targets scored are 0)\"}", json);
    }

    @Test
    void thePlotShowsTheWholeHorizonOfTheLastWindowsBesideTheBaselines() {
        // y_t = t²; windows of lookback 1 and horizon 3 with first targets at 10 … 14 (stride 1)
        double[] y = new double[20];
        for (int t = 0; t < y.length; t++) {
            y[t] = t * t;
        }
        List<double[][]> inputs = new ArrayList<>();
        double[][] targets = new double[5][];
        int[] origins = {10, 11, 12, 13, 14};
        List<Predictor.Answer> answers = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            int o = origins[k];
            inputs.add(new double[][]{{y[o - 1]}});
            targets[k] = new double[]{y[o], y[o + 1], y[o + 2]};
            answers.add(new Predictor.Answer(new float[][]{{0, 0, 0}}, new double[][]{{k, k + 0.5, k + 0.25}}));
        }
        SequenceSet test = SequenceSet.windows(inputs, targets, origins);
        SplitData.Forecast forecast = new SplitData.Forecast(0, 4, 1.0, WindowReference.NONE, ForecastStrategy.DIRECT, y, null);
        List<RunPlots.ForecastPoint> points = RunPlots.forecastPoints(test, answers, forecast);
        // the last window (origin 14) and the latest one whose horizon ends before it begins (origin 11): 2 × 3 steps
        assertEquals(6, points.size());
        int[] windows = {1, 1, 1, 4, 4, 4};
        int[] times = {11, 12, 13, 14, 15, 16};
        for (int p = 0; p < 6; p++) {
            RunPlots.ForecastPoint point = points.get(p);
            int step = p % 3 + 1;
            int origin = origins[windows[p]];
            assertEquals(windows[p], point.window());
            assertEquals(step, point.step());
            assertEquals(times[p], point.time());
            assertEquals(y[times[p]], point.actual(), 1e-12);
            assertEquals(answers.get(windows[p]).values()[0][step - 1], point.model(), 1e-12);
            assertEquals(y[origin - 1], point.naive(), 1e-12);
            assertEquals(y[times[p] - 4], point.seasonalNaive(), 1e-12); // one season (4) back: before the window's input
        }
        assertFalse(points.stream().anyMatch(p -> Double.isNaN(p.seasonalNaive())));
    }
}
