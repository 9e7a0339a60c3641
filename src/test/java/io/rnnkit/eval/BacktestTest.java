package io.rnnkit.eval;

import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.WindowReference;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The origin arithmetic and the figures of a backtest, on hand-computed numbers. */
class BacktestTest {
    /** Windows of one input step whose first targets lie at {@code origins}, each with {@code h} targets. */
    private static SequenceSet windows(int h, int... origins) {
        List<double[][]> inputs = new ArrayList<>();
        double[][] targets = new double[origins.length][h];
        for (int i = 0; i < origins.length; i++) {
            inputs.add(new double[][]{{origins[i]}});
            targets[i][0] = origins[i];
        }
        return SequenceSet.windows(inputs, targets, origins);
    }

    private static SplitData.Panel panel(double... scales) {
        List<List<String>> ids = new ArrayList<>();
        int[] offsets = new int[scales.length + 1];
        for (int s = 0; s < scales.length; s++) {
            ids.add(List.of("s" + s));
            offsets[s + 1] = 50 * (s + 1);
        }
        return new SplitData.Panel(List.of("id"), ids, offsets, scales);
    }

    @Test
    void originsAreCountedFromEachSeriesFirstTestWindowStepApart() {
        // one series: test windows at rows 100..106; step 2 gives origins at 100, 102, 104, 106
        int[] relative = Backtest.relativeOrigins(windows(1, 100, 101, 102, 103, 104, 105, 106), null);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6}, relative);
        assertEquals(4, Backtest.available(relative, 2));
        assertEquals(7, Backtest.available(relative, 1));
        assertArrayEquals(new int[]{0, -1, 1, -1, 2, -1, -1}, Backtest.originNumbers(relative, 2, 3), "the first 3 origins, 2 apart");

        // two series laid end to end (the second from row 50): each counts its origins from its own first test window
        int[] panelRelative = Backtest.relativeOrigins(windows(1, 40, 41, 42, 90, 91), panel(1, 1));
        assertArrayEquals(new int[]{0, 1, 2, 0, 1}, panelRelative);
        assertEquals(3, Backtest.available(panelRelative, 1), "the series that holds most");
        assertArrayEquals(new int[]{0, 1, -1, 0, 1}, Backtest.originNumbers(panelRelative, 1, 2));
    }

    @Test
    void aRefitLearnsFromTheTrainingWindowsAndTheTestWindowsWhoseTargetsAllPrecedeTheOrigin() {
        SequenceSet train = windows(3, 10, 11);
        SequenceSet test = windows(3, 100, 101, 102, 103, 104, 105);
        SplitData split = new SplitData(train, windows(3), test, List.of("t+1", "t+2", "t+3"), List.of("y"), "", null, null);
        int[] relative = Backtest.relativeOrigins(test, null);
        // origin at relative step 4 (row 104): windows at 100 (targets 100-102) and 101 (101-103) end before it, 102 does not
        SequenceSet before = Backtest.trainingBefore(split, relative, 4, 3);
        assertEquals(4, before.size());
        int[] origins = new int[before.size()];
        for (int i = 0; i < origins.length; i++) {
            origins[i] = before.origin(i);
        }
        assertArrayEquals(new int[]{10, 11, 100, 101}, origins);
    }

    private static Backtest.Row row(int series, double actual, double model, double naive, double seasonal, double... quantiles) {
        return new Backtest.Row(0, 0, series, 1, actual, new double[]{model, naive, seasonal}, quantiles.length == 0 ? null : quantiles);
    }

    @Test
    void figuresOfOneSeriesAreItsErrorsScaledByItsSeasonalNaiveError() {
        SplitData.Forecast forecast = new SplitData.Forecast(0, 4, 2.0, WindowReference.NONE, ForecastStrategy.DIRECT);
        List<Backtest.Row> rows = List.of(row(0, 10, 12, 10, 11, 9, 12, 14), row(0, 20, 17, 24, 20, 15, 17, 19));
        Map<String, Double> f = Backtest.figures(rows, List.of("", "naive_", "seasonal_naive_"), new double[]{0.1, 0.5, 0.9}, forecast);
        // model errors +2 and -3
        assertEquals(2.5, f.get("mae"), 1e-12);
        assertEquals(Math.sqrt(6.5), f.get("rmse"), 1e-12);
        assertEquals(1.25, f.get("mase"), 1e-12, "MAE 2.5 over the scale 2");
        assertEquals(100 * (4.0 / 22 + 6.0 / 37) / 2, f.get("smape"), 1e-12);
        // naive errors 0 and +4; seasonal naive +1 and 0
        assertEquals(2.0, f.get("naive_mae"), 1e-12);
        assertEquals(1.0, f.get("naive_mase"), 1e-12);
        assertEquals(0.25, f.get("seasonal_naive_mase"), 1e-12);
        // 80 % interval: [9, 14] holds 10, [15, 19] misses 20
        assertEquals(0.5, f.get("coverage_80"), 1e-12);
        assertEquals(4.5, f.get("width_80"), 1e-12);
        assertEquals((0.1 * 1 + 0.1 * 5) / 2, f.get("pinball_q0.1"), 1e-12);
        assertEquals((0.1 * 4 + 0.9 * 1) / 2, f.get("pinball_q0.9"), 1e-12);
    }

    @Test
    void theMaseOfManySeriesIsTheMeanOfEachSeriesOwn() {
        SplitData.Forecast forecast = new SplitData.Forecast(0, 4, Double.NaN, WindowReference.NONE, ForecastStrategy.DIRECT,
                null, null, null, panel(1, 4), null);
        // series 0 (scale 1): error 2 → MASE 2; series 1 (scale 4): errors 4 and 0 → MAE 2, MASE 0.5
        List<Backtest.Row> rows = List.of(row(0, 10, 12, 10, 10), row(1, 100, 104, 100, 100), row(1, 100, 100, 100, 100));
        Map<String, Double> f = Backtest.figures(rows, List.of("", "naive_", "seasonal_naive_"), null, forecast);
        assertEquals(1.25, f.get("mase"), 1e-12);
        assertEquals(2.0, f.get("mae"), 1e-12, "MAE over all rows");
        assertEquals(0.0, f.get("naive_mase"), 1e-12);
    }
}
