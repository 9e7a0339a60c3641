package io.rnnkit.train;

import io.rnnkit.bundle.Predictor;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Backtest;
import io.rnnkit.report.Chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's backtest ({@code evaluation.backtest}, docs/architecture.md "Backtesting"): {@link Backtest} on the trained
 * network, retrained by {@link Trainer} when it refits, and its files in the run directory: {@code backtest.csv} (a
 * row per origin, series and horizon step), {@code backtest-horizons.csv} (the figures per horizon step), the summary
 * for metrics.json and two plots (error by horizon, error by origin).
 */
final class BacktestRun {
    static final String ROWS = "backtest.csv";
    static final String HORIZONS = "backtest-horizons.csv";

    private BacktestRun() {
    }

    static Backtest.Result run(ExperimentConfig config, SplitData split, Predictor trained, ConfigLocations where, TrainingProgress progress) {
        Backtest.Refit refit = training -> {
            // streamed data is trained again streamed, a shard at a time, as the run was
            PreparedData again = ExperimentRunner.prepared(config, split.withTraining(training, split.validation()));
            progress.note("backtest: training again on " + training.size() + " windows");
            TrainingResult result = Trainer.train(config, again, TrainingProgress.SILENT);
            return Predictor.on(result.network(), config, again);
        };
        return Backtest.run(config.evaluation().backtest(), config.data().window().horizon(), split, trained, refit, where);
    }

    /** Writes the backtest's tables and plots into the run directory. */
    static void write(RunDirectory run, ExperimentConfig config, SplitData split, Backtest.Result result) {
        SplitData.Panel panel = split.forecast().panel();
        run.writeText(ROWS, rowsCsv(result, panel));
        run.writeText(HORIZONS, figuresCsv("step", result.horizons()));
        plots(run, config, split, result);
    }

    /** The summary for metrics.json: the settings, the figures over every row, per horizon step and per origin. */
    static Map<String, Object> json(Backtest.Result result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("origins", result.origins());
        out.put("step", result.step());
        out.put("horizon", result.horizon());
        out.put("refitEvery", result.refitEvery());
        out.put("refits", result.refits());
        out.put("forecasts", result.rows().size());
        out.putAll(ExperimentRunner.finiteJson(result.overall(), Map.of()));
        out.put("horizons", keyed("step", result.horizons()));
        out.put("byOrigin", keyed("origin", result.byOrigin()));
        return out;
    }

    private static List<Map<String, Object>> keyed(String key, List<Backtest.Figures> figures) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Backtest.Figures f : figures) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(key, f.key());
            one.putAll(ExperimentRunner.finiteJson(f.values(), Map.of()));
            out.add(one);
        }
        return out;
    }

    /** One row per origin, series and step: where the origin lies, the actual value, each forecast and the quantiles. */
    static String rowsCsv(Backtest.Result result, SplitData.Panel panel) {
        List<String> header = new ArrayList<>(List.of("origin", "position"));
        if (panel != null) {
            header.addAll(panel.idColumns());
        }
        header.addAll(List.of("step", "actual"));
        result.methods().forEach(m -> header.add(m.isEmpty() ? "rnnkit" : m.substring(0, m.length() - 1)));
        if (result.levels() != null) {
            for (double level : result.levels()) {
                header.add("q" + level);
            }
        }
        StringBuilder csv = new StringBuilder(String.join(",", header.stream().map(ExperimentRunner::csvField).toList())).append('\n');
        for (Backtest.Row row : result.rows()) {
            csv.append(row.origin()).append(',').append(row.position());
            if (panel != null) {
                panel.ids().get(row.series()).forEach(v -> csv.append(',').append(ExperimentRunner.csvField(v)));
            }
            csv.append(',').append(row.step()).append(',').append(row.actual());
            for (double f : row.forecasts()) {
                csv.append(',').append(f);
            }
            if (row.quantiles() != null) {
                for (double q : row.quantiles()) {
                    csv.append(',').append(q);
                }
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** A row per group: its key, its forecasts scored, then each figure (an undefined one empty). */
    static String figuresCsv(String key, List<Backtest.Figures> figures) {
        StringBuilder csv = new StringBuilder(key + ",forecasts," + String.join(",", figures.get(0).values().keySet())).append('\n');
        for (Backtest.Figures f : figures) {
            csv.append(f.key()).append(',').append(f.rows());
            f.values().values().forEach(v -> csv.append(',').append(Double.isFinite(v) ? String.valueOf(v) : ""));
            csv.append('\n');
        }
        return csv.toString();
    }

    /** MASE of the model and the baselines by horizon step, and by origin over time. */
    private static void plots(RunDirectory run, ExperimentConfig config, SplitData split, Backtest.Result result) {
        String scope = result.origins() + " origins" + (split.forecast().panel() == null ? "" : " × " + split.forecast().panel().size() + " series");
        chart(config.name() + ": backtest MASE by horizon (" + scope + ")", "steps ahead", result.horizons(), result.methods())
                .write(run.resolve(RunPlots.DIR).resolve("backtest-horizons.png"));
        chart(config.name() + ": backtest MASE by origin over the test part (" + result.horizon() + " steps ahead"
                + (result.refits() > 0 ? ", refitted every " + result.refitEvery() + " origins" : "") + ")", "origin",
                result.byOrigin(), result.methods())
                .write(run.resolve(RunPlots.DIR).resolve("backtest-origins.png"));
    }

    private static Chart chart(String title, String xLabel, List<Backtest.Figures> figures, List<String> methods) {
        double[] x = figures.stream().mapToDouble(Backtest.Figures::key).toArray();
        Chart chart = new Chart(title, xLabel, "MASE");
        for (String m : methods) {
            double[] y = figures.stream().mapToDouble(f -> f.values().get(m + "mase")).toArray();
            String name = m.isEmpty() ? "rnnkit" : m.equals("naive_") ? "naive (last value)" : "seasonal naive";
            chart.add(new Chart.Series(name, x, y, !m.isEmpty()));
        }
        return chart;
    }

    /** Lines for people: per horizon step the model's MASE beside the baselines', and the interval coverage. */
    static List<String> summary(Backtest.Result result) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "backtest: %d origins %d step(s) apart, %d steps ahead%s; %d forecasts", result.origins(),
                result.step(), result.horizon(), result.refits() > 0 ? ", refitted " + result.refits() + " times" : "", result.rows().size()));
        for (Backtest.Figures f : result.horizons()) {
            out.add(String.format(Locale.ROOT, "  t+%-3d %s", f.key(), line(f.values(), result.methods())));
        }
        out.add(String.format(Locale.ROOT, "  all   %s", line(result.overall(), result.methods())));
        return out;
    }

    private static String line(Map<String, Double> values, List<String> methods) {
        StringBuilder s = new StringBuilder();
        for (String m : methods) {
            s.append(String.format(Locale.ROOT, " %smase=%.4f", m, values.get(m + "mase")));
        }
        values.forEach((k, v) -> {
            if (k.startsWith("coverage_") || k.startsWith("width_")) {
                s.append(String.format(Locale.ROOT, " %s=%.4f", k, v));
            }
        });
        return s.toString().strip();
    }
}
