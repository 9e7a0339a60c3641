package io.rnnkit.data;

import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.WindowReference;

import java.util.List;
import java.util.Map;

/**
 * The three splits of an experiment's data, before normalization, and what the network must produce.
 *
 * @param classes      class names in index order (classification), or the names of the target values (regression)
 * @param featureNames names of the values of one time step: the series' columns, else {@code x1 … xF} by position
 * @param fingerprint SHA-256 of every value and label read, so a bundle can say what it was trained on
 * @param forecast    for windows cut from a series: what the naive baselines need; null otherwise
 * @param vocabulary  for text: the input tokens in index order (each step's single feature is a token index); null otherwise
 * @param categories  for rows with categorical features ({@code data.categorical}): their categories, learnt from the
 *                    training split (saved in the bundle); a series' are its forecast's; else empty
 * @param report      what reading did, for the run log and {@code metrics.json}: a series' is its forecast's; rows with
 *                    categorical features count the steps read as {@code <other>} per split; else null
 * @param sources     for text pooled from several files ({@code data.paths}): the files in order, whose test lines lie one
 *                    file after another in {@code test}, each scored on its own too; else empty
 */
public record SplitData(SequenceSet train, SequenceSet validation, SequenceSet test, List<String> classes, List<String> featureNames,
                        String fingerprint, Forecast forecast, List<String> vocabulary, Categories categories, SeriesReport report,
                        List<Source> sources) {
    /**
     * One file of pooled text: its name and how many test sequences it gave.
     */
    public record Source(String name, int testSize) {
    }

    /** Data read from one source. */
    public SplitData(SequenceSet train, SequenceSet validation, SequenceSet test, List<String> classes, List<String> featureNames,
                     String fingerprint, Forecast forecast, List<String> vocabulary, Categories categories, SeriesReport report) {
        this(train, validation, test, classes, featureNames, fingerprint, forecast, vocabulary, categories, report, List.of());
    }

    /** These splits with the files they were pooled from. */
    public SplitData withSources(List<Source> pooled) {
        return new SplitData(train, validation, test, classes, featureNames, fingerprint, forecast, vocabulary, categories, report, pooled);
    }

    /** Each pooled file's test sequences (a subset of {@code test}), by file name, in file order; empty for one source. */
    public Map<String, SequenceSet> testBySource() {
        Map<String, SequenceSet> out = new java.util.LinkedHashMap<>();
        int start = 0;
        for (Source source : sources) {
            // streamed, still a view of the cache (its lengths the whole test split's, as a cross-validation fold's)
            out.put(source.name(), test.view(java.util.stream.IntStream.range(start, start + source.testSize()).toArray()));
            start += source.testSize();
        }
        return out;
    }

    /**
     * How forecast windows relate to their series.
     *
     * @param targetFeature  which input feature is the forecast target (naive forecasts repeat its last value)
     * @param seasonalPeriod season length m (1: none)
     * @param scale          MASE's denominator: mean |y_t − y_{t−m}| over the training part of the series
     * @param reference      what the network's inputs and outputs are measured against
     * @param strategy       direct (horizon values at once) or recursive (a next-step model, forecasts fed back)
     * @param series         the target column of the whole series, before normalization, indexed like the windows'
     *                       {@link SequenceSet#origin origins}: the baselines read the series itself, so a season may be
     *                       longer than the model's lookback; null when the windows are all there is (tests) or when the
     *                       series is streamed ({@code mapped}); read it through {@link #seriesAt}
     * @param report         how the series was read: missing values filled or dropped per split, time order, repeated
     *                       times, gaps, unseen categories (null when the series was not read from a file)
     * @param categories     the categories of the series' categorical columns, learnt from the training part (saved in the bundle)
     * @param panel          for many series read from one file: which series each window belongs to and each series' MASE
     *                       scale ({@code scale} is then NaN: there is no one scale); null for one series
     * @param windows        an anomaly detector's labelled windows ({@code data.labels.windows}) as steps {@code {first, last}}
     *                       of {@code series}, for its event metrics; null without labels
     * @param times          each step's time as written, for the event table; null without a time column
     * @param fills          what the missing-value policies learnt from the training part (saved in the bundle); null
     *                       when no missing-value marker is declared (and for many series, each filled from its own part)
     * @param covariates     where the known-future, static and calendar features lie among a step's; null without covariates
     * @param mapped         for a series streamed (data.streaming), its target column read from the mapped cache, which holds
     *                       the series rather than the heap; else null
     */
    public record Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                           double[] series, SeriesReport report, Categories categories, Panel panel, int[][] windows, List<String> times,
                           MissingFills fills, Covariates covariates, java.util.function.IntToDoubleFunction mapped) {
        public Forecast {
            categories = categories == null ? new Categories(java.util.Map.of()) : categories;
        }

        /** A forecast whose target column, if any, is held as {@code series}. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                        double[] series, SeriesReport report, Categories categories, Panel panel, int[][] windows, List<String> times,
                        MissingFills fills, Covariates covariates) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, categories, panel, windows, times, fills, covariates, null);
        }

        /** Whether the target column can be read ({@link #seriesAt}): held, or mapped from the streaming cache ({@code mapped}). */
        public boolean readsSeries() {
            return series != null || mapped != null;
        }

        /** The target's value at step {@code t} of the series (of the series laid end to end, for many). */
        public double seriesAt(int t) {
            return series != null ? series[t] : mapped.applyAsDouble(t);
        }

        /** A forecast without covariates. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                        double[] series, SeriesReport report, Categories categories, Panel panel, int[][] windows, List<String> times,
                        MissingFills fills) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, categories, panel, windows, times, fills, null);
        }

        /** The features of a step measured against the window's last observation: the past-only ones (all without covariates). */
        public int referenced(int features) {
            return covariates == null ? features : covariates.past();
        }

        /** A forecast from one series, without missing-value markers. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                        double[] series, SeriesReport report, Categories categories) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, categories, null, null, null, null);
        }

        /** A forecast from one series or from many ({@code panel}), without labelled windows. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                        double[] series, SeriesReport report, Categories categories, Panel panel, MissingFills fills) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, categories, panel, null, null, fills);
        }

        /** This forecast with labelled windows and step times. */
        public Forecast labelled(int[][] windows, List<String> times) {
            return new Forecast(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, categories, panel, windows, times, fills,
                    covariates, mapped);
        }

        /** A forecast from a series without categorical columns. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy,
                        double[] series, SeriesReport report) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, series, report, null);
        }

        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference, ForecastStrategy strategy) {
            this(targetFeature, seasonalPeriod, scale, reference, strategy, null, null, null);
        }

        /** A direct forecast whose baselines read only the windows. */
        public Forecast(int targetFeature, int seasonalPeriod, double scale, WindowReference reference) {
            this(targetFeature, seasonalPeriod, scale, reference, ForecastStrategy.DIRECT);
        }

        public boolean recursive() {
            return strategy == ForecastStrategy.RECURSIVE;
        }
    }

    /** These splits with other training and validation sequences (a subset of them), the rest the same. */
    public SplitData withTraining(SequenceSet otherTrain, SequenceSet otherValidation) {
        return new SplitData(otherTrain, otherValidation, test, classes, featureNames, fingerprint, forecast, vocabulary, categories, report, sources);
    }

    /** These splits with another forecast description. */
    public SplitData withForecast(Forecast other) {
        return new SplitData(train, validation, test, classes, featureNames, fingerprint, other, vocabulary, categories, report, sources);
    }

    /**
     * Many series read from one file ({@code data.series.idColumns}), laid end to end in {@link Forecast#series()}:
     * series k occupies {@code [offsets[k], offsets[k + 1])} there, and a window belongs to the series its origin lies in.
     *
     * @param idColumns the columns that name a series
     * @param ids       per series, its values of the id columns, in the order the series first appear in the file
     * @param offsets   per series, where it starts in the series laid end to end, then the total length
     * @param scales    per series, MASE's denominator over its own training part (NaN when it never changes)
     */
    public record Panel(List<String> idColumns, List<List<String>> ids, int[] offsets, double[] scales) {
        public Panel {
            idColumns = List.copyOf(idColumns);
            ids = ids.stream().map(List::copyOf).toList();
            if (offsets.length != ids.size() + 1 || scales.length != ids.size()) {
                throw new IllegalArgumentException(ids.size() + " series but " + offsets.length + " offsets and " + scales.length + " scales");
            }
        }

        public int size() {
            return ids.size();
        }

        /** The series a window whose first target lies at {@code origin} (in the series laid end to end) belongs to. */
        public int seriesOf(int origin) {
            int found = java.util.Arrays.binarySearch(offsets, origin);
            return found >= 0 ? found : -found - 2;
        }

        /** Per window of {@code windows}, the id of its series. */
        public List<List<String>> idsOf(SequenceSet windows) {
            List<List<String>> out = new java.util.ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                out.add(ids.get(seriesOf(windows.origin(i))));
            }
            return out;
        }

        /** A series' id for people: {@code Region=Adelaide, State=South Australia, Purpose=Business}. */
        public static String describe(List<String> idColumns, List<String> id) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < idColumns.size(); c++) {
                s.append(c == 0 ? "" : ", ").append(idColumns.get(c)).append('=').append(id.get(c));
            }
            return s.toString();
        }
    }

    public SplitData(SequenceSet train, SequenceSet validation, SequenceSet test, List<String> classes, List<String> featureNames,
                     String fingerprint, Forecast forecast, List<String> vocabulary) {
        this(train, validation, test, classes, featureNames, fingerprint, forecast, vocabulary, null, null);
    }

    public SplitData {
        categories = forecast != null ? forecast.categories() : categories == null ? new Categories(java.util.Map.of()) : categories;
        report = forecast != null ? forecast.report() : report;
        classes = List.copyOf(classes);
        featureNames = List.copyOf(featureNames);
        vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Names for values known only by their position in a step: {@code x1 … xF}, counted from 1 like CSV columns. */
    public static List<String> positionalNames(int features) {
        return java.util.stream.IntStream.rangeClosed(1, features).mapToObj(i -> "x" + i).toList();
    }

    public int features() {
        return train.features();
    }

    /**
     * Width of the network's output: the number of classes or of target values; one for a recursive forecaster,
     * a next-step model whatever its horizon.
     */
    public int outputs() {
        if (forecast != null && forecast.recursive()) {
            return 1;
        }
        return train.isClassification() ? classes.size() : train.targetWidth();
    }

    /**
     * The loss weight of each class ({@code training.classWeights}) over the training split's labels, or null when
     * the classes are not weighted (and for regression).
     *
     * @throws IllegalArgumentException naming a weighted class that is not one of {@link #classes}
     */
    public double[] lossWeights(io.rnnkit.config.ClassWeights weights) {
        return train.isClassification() ? weights.resolve(classes, train.labelCounts(classes.size())) : null;
    }

    /** Longest sequence over all splits. */
    public int maxLength() {
        return Math.max(train.maxLength(), Math.max(validation.maxLength(), test.maxLength()));
    }

    public int minLength() {
        int min = train.minLength();
        if (validation.size() > 0) {
            min = Math.min(min, validation.minLength());
        }
        return test.size() > 0 ? Math.min(min, test.minLength()) : min;
    }
}
