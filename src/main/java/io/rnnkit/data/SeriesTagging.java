package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataPaths;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LabelsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A long series tagged per step from incident windows ({@code data.labels.windows}): every step inside a window
 * takes its label, every other step {@value IncidentWindows#NORMAL}. The series is split chronologically like a
 * forecast's (the last {@code test} fraction of the steps is the test part, the {@code validation} fraction before
 * it the validation part) and each part is cut into chunks of {@code data.window.length} steps that never cross a
 * part's end, an unfilled gap or a row that a missing-value policy drops: training chunks start {@code stride}
 * apart, validation and test chunks follow one another, so every step of theirs is scored exactly once. The chunk
 * that reaches such an end is shorter; it is padded in the minibatch and its padding masked.
 */
final class SeriesTagging {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesTagging.class);
    private static final String[] PARTS = {"train", "validation", "test"};

    private SeriesTagging() {
    }

    static SplitData load(ExperimentConfig config, ConfigLocations where) {
        DataConfig data = config.data();
        SeriesLayout.Series series = SeriesLayout.read(DataPaths.resolve(data.path()), data, where, null);
        return tag(config, where, series.stamps(), series.times(), starts -> {
            MissingValues.Filled filled = series.missing().fill(series.values(), starts[0], starts[1]);
            return new Steps(t -> filled.values()[t].clone(), t -> series.segments()[t], filled.dropRow(), filled.columns(), false);
        });
    }

    /**
     * The series of the streaming cache ({@link SeriesCache}) tagged as {@link #load} tags it read whole: the same parts,
     * chunks and labels, each chunk cut from the mapped steps when asked for, so the heap holds a class per step rather than
     * the series. The cache holds no missing value (the streaming path refuses them) and a tagger has no calendar features.
     */
    static SplitData load(SeriesCache cache, ExperimentConfig config, ConfigLocations where) {
        SeriesTimes times = cache.times();
        return tag(config, where, times.stamps(), times.texts(), starts -> new Steps(t -> cache.window(t, 1)[0], cache::segment,
                null, cache.columns(), true));
    }

    /**
     * A series' steps as the tagger cuts them: each step's values (a copy), its segment, the rows a missing-value policy
     * drops (null for none), the feature names, and whether chunks are cut when asked for (streamed) rather than held.
     */
    private record Steps(java.util.function.IntFunction<double[]> row, java.util.function.IntUnaryOperator segment, boolean[] dropRow,
                         List<String> columns, boolean streamed) {
    }

    /**
     * @param stamps each step's date-time, for laying the windows on it
     * @param times  each step's time as text, for the log
     * @param steps  the steps, given the first steps of the validation and the test part (a missing-value policy learns
     *               from the training part)
     */
    private static SplitData tag(ExperimentConfig config, ConfigLocations where, List<java.time.LocalDateTime> stamps, List<String> times,
                                 java.util.function.Function<int[], Steps> steps) {
        DataConfig data = config.data();
        LabelsConfig labels = data.labels();
        Path file = DataPaths.resolve(data.path());
        if (stamps.contains(null)) {
            throw new DataException(file + ": column " + String.join(", ", data.series().timeSources())
                    + " holds plain numbers, but incident windows are dates and times");
        }
        IncidentWindows windows = IncidentWindows.read(DataPaths.resolve(labels.windows()), labels.key(), data.series().timeFormat());
        IncidentWindows.OnSeries on = windows.onSeries(stamps);
        Set<String> found = new LinkedHashSet<>();
        found.add(IncidentWindows.NORMAL);
        found.addAll(windows.labels());
        List<String> classes = ClassLabels.classes(labels.classes(), List.copyOf(found));
        for (String label : found) {
            if (!classes.contains(label)) {
                throw where.error("data.labels.classes", "'" + label + "' is a class of the steps (" + windows.file()
                        + " and the steps outside its windows) but not among the classes " + classes);
            }
        }
        int[] stepClass = on.classes(classes);

        int n = stamps.size();
        int[] starts = ForecastWindowing.partStarts(n, data.split());
        Steps read = steps.apply(starts);
        int[] bounds = {0, starts[0], starts[1], n};
        int length = data.window().length();
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            List<int[]> spans = new ArrayList<>(); // each chunk's steps [first, end)
            int stride = p == 0 ? data.window().stride() : length;
            for (int[] run : runs(bounds[p], bounds[p + 1], read.segment(), read.dropRow())) {
                for (int s = run[0]; s < run[1]; s += stride) {
                    int e = Math.min(s + length, run[1]);
                    spans.add(new int[]{s, e});
                    if (e == run[1]) {
                        break;
                    }
                }
            }
            sets[p] = chunks(spans, read, stepClass);
            if (bounds[p + 1] > bounds[p]) {
                LOG.info("{} part: steps {} to {} ({} to {}), {} chunk(s), {} step(s) inside windows", PARTS[p], bounds[p], bounds[p + 1] - 1,
                        times.get(bounds[p]), times.get(bounds[p + 1] - 1), spans.size(),
                        countInside(stepClass, bounds[p], bounds[p + 1], classes.indexOf(IncidentWindows.NORMAL)));
            }
        }
        DatasetLoader.requireNonEmpty(sets[0], "train", n, where);
        if (data.split().validation() > 0) {
            DatasetLoader.requireNonEmpty(sets[1], "validation", n, where);
        }
        DatasetLoader.requireNonEmpty(sets[2], "test", n, where);
        if (countInside(stepClass, 0, starts[0], classes.indexOf(IncidentWindows.NORMAL)) == 0) {
            throw where.error("data.split.train", "the training part (the first " + starts[0] + " of " + n + " steps, up to "
                    + times.get(starts[0] - 1) + ") holds no step inside a window of " + windows.file()
                    + ", so there is nothing to learn; the first window starts " + on.spans().get(0).window().start().toString().replace('T', ' '));
        }
        return new SplitData(sets[0], sets[1], sets[2], classes, read.columns(), DatasetLoader.fingerprint(classes, sets), null, null);
    }

    /** The chunks {@code spans} of the steps with their steps' classes: copies held, or streamed ones cut when asked for. */
    private static SequenceSet chunks(List<int[]> spans, Steps steps, int[] stepClass) {
        java.util.function.IntFunction<double[][]> chunk = k -> {
            int[] span = spans.get(k);
            double[][] rows = new double[span[1] - span[0]][];
            for (int t = span[0]; t < span[1]; t++) {
                rows[t - span[0]] = steps.row().apply(t);
            }
            return rows;
        };
        java.util.function.IntFunction<int[]> tags = k -> java.util.Arrays.copyOfRange(stepClass, spans.get(k)[0], spans.get(k)[1]);
        int[] all = java.util.stream.IntStream.range(0, spans.size()).toArray();
        if (!steps.streamed()) {
            return SequenceSet.classifiedPerStep(java.util.Arrays.stream(all).mapToObj(chunk).toList(),
                    java.util.Arrays.stream(all).mapToObj(tags).toList());
        }
        int[] lengths = spans.stream().mapToInt(s -> s[1] - s[0]).toArray();
        return SequenceSet.cachedPerStep(new SequenceCache.View<>(all, chunk), new SequenceCache.View<>(all, tags),
                java.util.Arrays.stream(lengths).min().orElse(0), java.util.Arrays.stream(lengths).max().orElse(0));
    }

    /** The runs of steps in {@code [from, to)} that no unfilled gap or dropped row ({@code dropRow}, null for none) interrupts. */
    private static List<int[]> runs(int from, int to, java.util.function.IntUnaryOperator segments, boolean[] dropRow) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int t = from; t <= to; t++) {
            boolean ends = t == to || dropRow != null && dropRow[t] || start >= 0 && segments.applyAsInt(t) != segments.applyAsInt(start);
            if (start >= 0 && ends) {
                out.add(new int[]{start, t});
                start = -1;
            }
            if (t < to && (dropRow == null || !dropRow[t]) && start < 0) {
                start = t;
            }
        }
        return out;
    }

    private static int countInside(int[] stepClass, int from, int to, int normal) {
        int count = 0;
        for (int t = from; t < to; t++) {
            count += stepClass[t] != normal ? 1 : 0;
        }
        return count;
    }
}
