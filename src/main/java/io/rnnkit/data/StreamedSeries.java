package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Task;

/**
 * The tasks of a series streamed from its cache ({@link SeriesCache}) besides forecasting: an anomaly detector, whose windows
 * and split are a forecaster's, and a series tagged per step ({@link SeriesTagging}). Each gives the split the whole-file
 * reader gives: the same windows or chunks, labels, times and fingerprint.
 */
final class StreamedSeries {
    private StreamedSeries() {
    }

    /** Why the config's task of a series cannot be streamed, or null when it can. */
    static SeriesCache.Refusal unsupported(ExperimentConfig config) {
        Task task = Task.of(config);
        if ((task.detectsAnomalies() || task instanceof Task.StepTagger) && !config.data().series().idColumns().isEmpty()) {
            return new SeriesCache.Refusal("data.series.idColumns", "the streaming path reads one series of numbers a step at a time; "
                    + (task.detectsAnomalies() ? "an anomaly detector" : "a tagger") + " reads one series, not many of one file");
        }
        if (task.detectsAnomalies() && config.task().anomaly().semiSupervised()) {
            return new SeriesCache.Refusal("task.anomaly.semiSupervised", "the streaming path trains the detector on the windows of the"
                    + " cache; the semi-supervised one is trained on those clear of the labelled windows, held in memory");
        }
        return null;
    }

    /** The splits of the cache's series for the config's task, checked as a split read whole is ({@link DataRules}). */
    static SplitData split(SeriesCache cache, ExperimentConfig config, ConfigLocations where) {
        Task task = Task.of(config);
        if (task instanceof Task.StepTagger) {
            SplitData tagged = SeriesTagging.load(cache, config, where);
            DataRules.check(config, tagged, where); // as DatasetLoader.load checks a split read whole (SeriesCache.split checks its own)
            return tagged;
        }
        SplitData split = cache.split(config, where);
        if (!task.detectsAnomalies()) {
            return split;
        }
        // the detector reads the whole series after training (AnomalyRun): its target column is held, a double a step, as in
        // memory; the windows are still cut from the mapping when a batch asks for them
        SplitData.Forecast f = split.forecast();
        double[] column = new double[cache.length()];
        for (int t = 0; t < column.length; t++) {
            column[t] = f.seriesAt(t);
        }
        SeriesTimes times = cache.times();
        SplitData.Forecast held = new SplitData.Forecast(f.targetFeature(), f.seasonalPeriod(), f.scale(), f.reference(), f.strategy(), column,
                f.report(), f.categories(), f.panel(), null, null, f.fills(), f.covariates(), f.mapped());
        return split.withForecast(held.labelled(SeriesLayout.anomalyWindows(config.data(), times.stamps(), where), times.texts()));
    }
}
