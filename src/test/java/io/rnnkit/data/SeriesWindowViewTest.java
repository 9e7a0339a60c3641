package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.SplitConfig;
import io.rnnkit.config.WindowConfig;
import io.rnnkit.config.WindowReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * A series' forecast windows are a view over the series: cut when asked for, never held, and the tensors made of them
 * the very ones the windows held as arrays made.
 */
class SeriesWindowViewTest {
    private static final WindowConfig WINDOW = new WindowConfig(5, 2, 1, WindowReference.LOG_RATIO, ForecastStrategy.DIRECT, null);
    private static final SplitConfig SPLIT = new SplitConfig(0.7, 0.15, 0.15, false);

    private static double[][] series(int n, int features) {
        double[][] rows = new double[n][features];
        for (int t = 0; t < n; t++) {
            for (int f = 0; f < features; f++) {
                rows[t][f] = 50 + 10 * Math.sin(0.3 * t + f) + 0.1 * t;
            }
        }
        return rows;
    }

    private static SplitData windowed(double[][] rows) {
        List<String> names = rows[0].length == 1 ? List.of("y") : List.of("y", "x");
        return ForecastWindowing.split(rows, 0, new int[rows.length], WINDOW, 1, SPLIT, ConfigLocations.inMemory(), names, "f",
                null, null, null, null, null);
    }

    /** The windows as arrays held in memory, as the splits were made before they became views. */
    private static SequenceSet held(SequenceSet windows) {
        List<double[][]> inputs = new ArrayList<>();
        double[][] targets = new double[windows.size()][];
        int[] origins = new int[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            inputs.add(windows.sequence(i));
            targets[i] = windows.target(i);
            origins[i] = windows.origin(i);
        }
        return SequenceSet.windows(inputs, targets, origins);
    }

    @Test
    void windowsAreCutFromTheSeriesWhenAskedForAndHeldNowhere() {
        double[][] rows = series(60, 2);
        SplitData split = windowed(rows);
        SequenceSet train = split.train();
        assertFalse(train.streamed(), "a view over a series is not the streaming cache's");
        assertEquals(5, train.maxLength());
        assertEquals(5, train.minLength());
        for (int i = 0; i < train.size(); i++) {
            int origin = train.origin(i);
            double[][] window = train.sequence(i);
            for (int t = 0; t < 5; t++) {
                assertArrayEquals(rows[origin - 5 + t], window[t], 0, "window " + i + " step " + t);
            }
            assertArrayEquals(new double[]{rows[origin][0], rows[origin + 1][0]}, train.target(i), 0);
        }
        // each request cuts the window afresh: no window is kept between requests
        assertNotSame(train.sequence(3), train.sequence(3));
        SequenceSet picked = train.subset(new int[]{7, 2});
        assertNotSame(picked.sequence(0), picked.sequence(0));
        assertEquals(train.origin(7), picked.origin(0));
        assertArrayEquals(train.sequence(2)[4], picked.sequence(1)[4], 0);
    }

    @Test
    void tensorsOfTheViewsAreThoseOfTheWindowsHeldAsArrays() {
        SplitData split = windowed(series(80, 1));
        for (SequenceSet part : List.of(split.train(), split.validation(), split.test())) {
            SequenceSet held = held(part);
            assertTensorsEqual(Tensors.dataSet(ForecastWindowing.relative(held, split.forecast()), 2),
                    Tensors.dataSet(ForecastWindowing.relative(part, split.forecast()), 2));
            assertTensorsEqual(Tensors.dataSet(ForecastWindowing.teacherForced(held), 1),
                    Tensors.dataSet(ForecastWindowing.teacherForced(part), 1));
        }
    }

    @Test
    void theWindowsOfManySeriesArePooledAsViewsWithOriginsLaidEndToEnd() {
        SplitData first = windowed(series(60, 1));
        SplitData second = windowed(series(70, 1));
        SequenceSet pooled = SequenceSet.joined(List.of(first.train(), second.train().shifted(60)));
        assertEquals(first.train().size() + second.train().size(), pooled.size());
        int k = first.train().size() + 4;
        assertEquals(60 + second.train().origin(4), pooled.origin(k));
        assertArrayEquals(second.train().sequence(4)[2], pooled.sequence(k)[2], 0);
        assertArrayEquals(first.train().target(first.train().size() - 1), pooled.target(first.train().size() - 1), 0);
        assertNotSame(pooled.sequence(k), pooled.sequence(k));
        SequenceSet both = first.train().concat(second.train());
        assertArrayEquals(second.train().sequence(0)[0], both.sequence(first.train().size())[0], 0);
    }

    private static void assertTensorsEqual(DataSet expected, DataSet actual) {
        assertArrayEquals(expected.getFeatures().data().asFloat(), actual.getFeatures().data().asFloat(), 0);
        assertArrayEquals(expected.getLabels().data().asFloat(), actual.getLabels().data().asFloat(), 0);
    }
}
