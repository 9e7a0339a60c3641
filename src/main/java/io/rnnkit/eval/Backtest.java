package io.rnnkit.eval;

import io.rnnkit.bundle.Predictor;
import io.rnnkit.config.BacktestConfig;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rolling-origin backtest of a forecaster over the test part of its series (docs/architecture.md, "Backtesting"):
 * origin k of a series is its test window whose first target lies {@code k·step} steps after that of its first test
 * window. The windows are the ones the windowing cut for the test split, so whatever inputs they carry reach the
 * network as in evaluation, and the forecasts come from the {@link Predictor} (the one inference path). The naive and
 * seasonal-naive forecasts are read from the same origins. Figures are kept per origin and per horizon step; for
 * many series, MASE is the mean over the series of each one's (by its own scale), the other figures over all rows.
 */
public final class Backtest {
    private Backtest() {
    }

    /** Trains the model again on other training windows (the validation split stays as it is): the new network's predictor. */
    public interface Refit {
        Predictor on(SequenceSet training);
    }

    /**
     * One forecast value: origin {@code origin} ({@code 0, 1, …}), {@code step} steps ahead ({@code 1…}).
     *
     * @param position  where the origin's first target lies in its series (row of the series, from 0)
     * @param series    the series' index among the panel's, 0 for one series
     * @param forecasts the model's forecast, then the naive and (with a season) the seasonal-naive forecast
     * @param quantiles a probabilistic head's quantiles at its levels; null for a point head
     */
    public record Row(int origin, int position, int series, int step, double actual, double[] forecasts, double[] quantiles) {
    }

    /** The figures of one group of rows: one horizon step, or one origin ({@code key} is the step or the origin). */
    public record Figures(int key, int rows, Map<String, Double> values) {
    }

    /**
     * @param methods  the name prefix of each forecast in {@link Row#forecasts} as in metrics.json: {@code ""} (the
     *                 model), {@code naive_}, {@code seasonal_naive_}
     * @param levels   a probabilistic head's quantile levels; null for a point head
     * @param refits   how many times the model was trained again
     * @param overall  the figures over every row
     */
    public record Result(int origins, int step, int horizon, int refitEvery, int refits, List<String> methods, double[] levels,
                         List<Row> rows, List<Figures> horizons, List<Figures> byOrigin, Map<String, Double> overall) {
    }

    /**
     * The backtest the settings describe.
     *
     * @param trainedHorizon the steps the model forecasts from each window ({@code data.window.horizon})
     * @param refit          trains the model again; used only when {@code settings.refitEvery() > 0}
     * @param where          for a message naming the settings that ask for more than the test part holds
     */
    public static Result run(BacktestConfig settings, int trainedHorizon, SplitData split, Predictor predictor, Refit refit,
                             ConfigLocations where) {
        SequenceSet test = split.test();
        SplitData.Forecast forecast = split.forecast();
        SplitData.Panel panel = forecast.panel();
        int horizon = settings.horizon() == null ? trainedHorizon : settings.horizon();
        int[] relative = relativeOrigins(test, panel);
        int count = originCount(settings, trainedHorizon, split, where);
        int[] originOf = originNumbers(relative, settings.step(), count);
        List<Row> rows = new ArrayList<>();
        int refits = 0;
        int blockSize = settings.refitEvery() == 0 ? count : settings.refitEvery();
        List<String> methods = forecast.seasonalPeriod() > 1 ? List.of("", "naive_", "seasonal_naive_") : List.of("", "naive_");
        double[] levels = null;
        for (int first = 0; first < count; first += blockSize) {
            List<Integer> windows = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                if (originOf[i] >= first && originOf[i] < first + blockSize) {
                    windows.add(i);
                }
            }
            if (windows.isEmpty()) {
                continue;
            }
            Predictor model = predictor;
            if (first > 0) {
                model = refit.on(trainingBefore(split, relative, first * settings.step(), trainedHorizon));
                refits++;
            }
            // streamed, a view: the windows are cut from the mapped cache as the predictor and the baselines ask for them
            SequenceSet chosen = test.view(windows.stream().mapToInt(Integer::intValue).toArray());
            List<Predictor.Answer> answers = Evaluator.answers(model, chosen, forecast);
            List<double[]> baselines = new ArrayList<>();
            baselines.add(Evaluator.baselineErrors(chosen, forecast, 1));
            if (methods.size() > 2) {
                baselines.add(Evaluator.baselineErrors(chosen, forecast, forecast.seasonalPeriod()));
            }
            for (int w = 0; w < chosen.size(); w++) {
                Predictor.Answer answer = answers.get(w);
                int series = panel == null ? 0 : panel.seriesOf(chosen.origin(w));
                int position = chosen.origin(w) - (panel == null ? 0 : panel.offsets()[series]);
                for (int j = 0; j < horizon; j++) {
                    double actual = chosen.target(w)[j];
                    double[] forecasts = new double[methods.size()];
                    forecasts[0] = answer.valuesAt(0)[j];
                    for (int b = 0; b < baselines.size(); b++) {
                        forecasts[b + 1] = actual + baselines.get(b)[w * trainedHorizon + j];
                    }
                    double[] quantiles = answer.intervals() == null ? null : answer.intervals().quantiles()[j].clone();
                    levels = answer.intervals() == null ? null : answer.intervals().levels();
                    rows.add(new Row(originOf[windows.get(w)], position, series, j + 1, actual, forecasts, quantiles));
                }
            }
        }
        rows.sort(java.util.Comparator.comparingInt(Row::origin).thenComparingInt(Row::series).thenComparingInt(Row::step));
        return new Result(count, settings.step(), horizon, settings.refitEvery(), refits, methods, levels, rows,
                grouped(rows, Row::step, methods, levels, forecast), grouped(rows, Row::origin, methods, levels, forecast),
                figures(rows, methods, levels, forecast));
    }

    /**
     * The number of origins the settings ask for, checked against what the test part holds before anything is trained.
     *
     * @throws io.rnnkit.config.ConfigException naming {@code evaluation.backtest.origins} when the test part holds fewer
     */
    public static int originCount(BacktestConfig settings, int trainedHorizon, SplitData split, ConfigLocations where) {
        SplitData.Panel panel = split.forecast().panel();
        int available = available(relativeOrigins(split.test(), panel), settings.step());
        int count = settings.originCount() < 0 ? available : settings.originCount();
        if (available == 0 || count > available) {
            throw where.error("evaluation.backtest.origins", (settings.originCount() < 0 ? "all origins" : count + " origins")
                    + " asked, but the test part holds " + available + " origin(s) " + settings.step() + " step(s) apart (each a test window"
                    + " with all " + trainedHorizon + " targets of data.window.horizon in the test part" + (panel == null ? "" : ", per series")
                    + "); ask for at most " + available + ", a smaller step, or give data.split.test a larger fraction");
        }
        return count;
    }

    /** Per test window, how many steps its first target lies after that of its series' first test window. */
    static int[] relativeOrigins(SequenceSet test, SplitData.Panel panel) {
        Map<Integer, Integer> firstOf = new TreeMap<>();
        for (int i = 0; i < test.size(); i++) {
            firstOf.merge(panel == null ? 0 : panel.seriesOf(test.origin(i)), test.origin(i), Math::min);
        }
        int[] out = new int[test.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = test.origin(i) - firstOf.get(panel == null ? 0 : panel.seriesOf(test.origin(i)));
        }
        return out;
    }

    /** How many origins {@code step} apart the test windows hold (in the series that holds most). */
    static int available(int[] relative, int step) {
        int most = -1;
        for (int r : relative) {
            if (r % step == 0) {
                most = Math.max(most, r / step);
            }
        }
        return most + 1;
    }

    /** Per test window, its origin number, or -1 when it is not one of the first {@code count} origins {@code step} apart. */
    static int[] originNumbers(int[] relative, int step, int count) {
        int[] out = new int[relative.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = relative[i] % step == 0 && relative[i] / step < count ? relative[i] / step : -1;
        }
        return out;
    }

    /**
     * What a model refitted at an origin learns from: the training windows and every test window whose targets all lie
     * before the origin ({@code cutoff} steps after its series' first test origin), so no target it forecasts was seen.
     */
    static SequenceSet trainingBefore(SplitData split, int[] relative, int cutoff, int trainedHorizon) {
        int[] before = java.util.stream.IntStream.range(0, relative.length).filter(i -> relative[i] + trainedHorizon - 1 < cutoff).toArray();
        // streamed, still views over the cache; else the windows as they are held or cut
        return split.train().concat(split.test().view(before));
    }

    private static List<Figures> grouped(List<Row> rows, java.util.function.ToIntFunction<Row> key, List<String> methods, double[] levels,
                                         SplitData.Forecast forecast) {
        Map<Integer, List<Row>> groups = new TreeMap<>();
        rows.forEach(r -> groups.computeIfAbsent(key.applyAsInt(r), k -> new ArrayList<>()).add(r));
        List<Figures> out = new ArrayList<>();
        groups.forEach((k, group) -> out.add(new Figures(k, group.size(), figures(group, methods, levels, forecast))));
        return out;
    }

    /**
     * MAE, RMSE, MASE and sMAPE of each method over {@code rows}, then a probabilistic head's coverage, width and pinball
     * loss ({@link Evaluator#putIntervals}); MASE by the series' scale, for many series the mean of each series' MASE.
     */
    static Map<String, Double> figures(List<Row> rows, List<String> methods, double[] levels, SplitData.Forecast forecast) {
        Map<String, Double> values = new LinkedHashMap<>();
        double[] actual = rows.stream().mapToDouble(Row::actual).toArray();
        int[] seriesOf = forecast.panel() == null ? null : rows.stream().mapToInt(Row::series).toArray();
        Evaluator.Scaling scaling = new Evaluator.Scaling(forecast, seriesOf);
        for (int m = 0; m < methods.size(); m++) {
            double[] errors = new double[rows.size()];
            for (int r = 0; r < errors.length; r++) {
                errors[r] = rows.get(r).forecasts()[m] - actual[r];
            }
            values.put(methods.get(m) + "mae", Evaluator.mae(errors));
            values.put(methods.get(m) + "rmse", Evaluator.rmse(errors));
            values.put(methods.get(m) + "mase", scaling.mase(errors, 1));
            values.put(methods.get(m) + "smape", Evaluator.smape(errors, actual));
        }
        if (levels != null) {
            Evaluator.IntervalScores scores = null;
            for (Row row : rows) {
                Predictor.Intervals intervals = new Predictor.Intervals(levels, new double[][]{row.quantiles()}, null);
                if (scores == null) {
                    scores = new Evaluator.IntervalScores(intervals);
                }
                scores.add(row.actual(), new Predictor.Answer(null, new double[][]{{row.forecasts()[0]}}, intervals), 0);
            }
            scores.putInto(values);
        }
        return values;
    }
}
