package io.rnnkit.eval;

import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluatorTest {
    @Test
    void accuracyAndMacroF1FromAConfusionMatrix() {
        // class 0: tp 3, fn 1, fp 2 -> F1 = 6/9; class 1: tp 5, fn 2, fp 1 -> 10/13; class 2: tp 0, fn 0, fp 0 -> absent
        int[][] confusion = {{3, 1, 0}, {2, 5, 0}, {0, 0, 0}};
        assertEquals(8.0 / 11, Evaluator.accuracy(confusion), 1e-12);
        assertEquals((6.0 / 9 + 10.0 / 13) / 2, Evaluator.macroF1(confusion), 1e-12);
    }

    @Test
    void precisionRecallAndF1PerClass() {
        // class 2 is never predicted (precision undefined, recall 0); class 3 neither occurs nor is predicted
        int[][] confusion = {{3, 1, 0, 0}, {2, 5, 0, 0}, {0, 4, 0, 0}, {0, 0, 0, 0}};
        List<SplitMetrics.ClassFigures> f = new SplitMetrics(java.util.Map.of(), confusion).perClass();
        assertEquals(new SplitMetrics.ClassFigures(3.0 / 5, 3.0 / 4, 6.0 / 9, 4), f.get(0));
        assertEquals(new SplitMetrics.ClassFigures(5.0 / 10, 5.0 / 7, 10.0 / 17, 7), f.get(1));
        assertEquals(new SplitMetrics.ClassFigures(Double.NaN, 0, 0, 4), f.get(2));
        assertEquals(new SplitMetrics.ClassFigures(Double.NaN, Double.NaN, Double.NaN, 0), f.get(3));
        assertEquals((6.0 / 9 + 10.0 / 17 + 0) / 3, Evaluator.macroF1(confusion), 1e-12, "macro F1 over the classes that occur");
        assertEquals(List.of(), new SplitMetrics(java.util.Map.of(), null).perClass());
    }

    @Test
    void naiveAndSeasonalNaiveForecastsRepeatThePast() {
        double[][] window = {{1}, {2}, {3}, {4}};
        SequenceSet set = SequenceSet.regressed(List.<double[][]>of(window), new double[][]{{10, 20, 30}});
        SplitData.Forecast forecast = new SplitData.Forecast(0, 2, 1.0, io.rnnkit.config.WindowReference.NONE);
        // naive: 4, 4, 4; seasonal (m = 2): h=1 -> y[T-1] = 3, h=2 -> y[T] = 4, h=3 -> y[T-1] = 3
        assertArrayEquals(new double[]{4 - 10, 4 - 20, 4 - 30}, Evaluator.baselineErrors(set, forecast, 1), 1e-12);
        assertArrayEquals(new double[]{3 - 10, 4 - 20, 3 - 30}, Evaluator.baselineErrors(set, forecast, 2), 1e-12);
        assertEquals(3, Evaluator.mae(new double[]{-3, 3}), 1e-12);
        assertEquals(Math.sqrt(12.5), Evaluator.rmse(new double[]{-3, 4}), 1e-12);
    }

    @Test
    void percentageErrors() {
        // actual 100 and 50, forecasts 110 and 40: |e/y| = 0.1, 0.2; 2|e|/(|y|+|ŷ|) = 20/210, 20/90
        double[] errors = {10, -10};
        double[] actual = {100, 50};
        assertEquals(15, Evaluator.mape(errors, actual), 1e-12);
        assertEquals(100 * (20.0 / 210 + 20.0 / 90) / 2, Evaluator.smape(errors, actual), 1e-12);
    }
}
