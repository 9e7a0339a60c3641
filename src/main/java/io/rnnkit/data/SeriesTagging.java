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
        LabelsConfig labels = data.labels();
        Path file = DataPaths.resolve(data.path());
        SeriesLayout.Series series = SeriesLayout.read(file, data, where, null);
        if (series.stamps().contains(null)) {
            throw new DataException(file + ": column " + String.join(", ", data.series().timeSources())
                    + " holds plain numbers, but incident windows are dates and times");
        }
        IncidentWindows windows = IncidentWindows.read(DataPaths.resolve(labels.windows()), labels.key(), data.series().timeFormat());
        IncidentWindows.OnSeries on = windows.onSeries(series.stamps());
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

        double[][] raw = series.values();
        int n = raw.length;
        int[] starts = ForecastWindowing.partStarts(n, data.split());
        MissingValues.Filled filled = series.missing().fill(raw, starts[0], starts[1]);
        int[] bounds = {0, starts[0], starts[1], n};
        int length = data.window().length();
        SequenceSet[] sets = new SequenceSet[3];
        for (int p = 0; p < 3; p++) {
            List<double[][]> chunks = new ArrayList<>();
            List<int[]> tags = new ArrayList<>();
            int stride = p == 0 ? data.window().stride() : length;
            for (int[] run : runs(bounds[p], bounds[p + 1], series.segments(), filled.dropRow())) {
                for (int s = run[0]; s < run[1]; s += stride) {
                    int e = Math.min(s + length, run[1]);
                    double[][] chunk = new double[e - s][];
                    for (int t = s; t < e; t++) {
                        chunk[t - s] = filled.values()[t].clone();
                    }
                    chunks.add(chunk);
                    tags.add(java.util.Arrays.copyOfRange(stepClass, s, e));
                    if (e == run[1]) {
                        break;
                    }
                }
            }
            sets[p] = SequenceSet.classifiedPerStep(chunks, tags);
            if (bounds[p + 1] > bounds[p]) {
                LOG.info("{} part: steps {} to {} ({} to {}), {} chunk(s), {} step(s) inside windows", PARTS[p], bounds[p], bounds[p + 1] - 1,
                        series.times().get(bounds[p]), series.times().get(bounds[p + 1] - 1), chunks.size(),
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
                    + series.times().get(starts[0] - 1) + ") holds no step inside a window of " + windows.file()
                    + ", so there is nothing to learn; the first window starts " + on.spans().get(0).window().start().toString().replace('T', ' '));
        }
        return new SplitData(sets[0], sets[1], sets[2], classes, filled.columns(), DatasetLoader.fingerprint(classes, sets), null, null);
    }

    /** The runs of steps in {@code [from, to)} that no unfilled gap or dropped row interrupts. */
    private static List<int[]> runs(int from, int to, int[] segments, boolean[] dropRow) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        for (int t = from; t <= to; t++) {
            boolean ends = t == to || dropRow[t] || start >= 0 && segments[t] != segments[start];
            if (start >= 0 && ends) {
                out.add(new int[]{start, t});
                start = -1;
            }
            if (t < to && !dropRow[t] && start < 0) {
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
