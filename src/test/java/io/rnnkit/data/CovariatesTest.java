package io.rnnkit.data;

import io.rnnkit.TrainedModels;
import io.rnnkit.config.CalendarField;
import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Covariates of a series: the calendar's cyclic pairs, where each kind of feature lies, the lead of known-future ones, the rules. */
class CovariatesTest {
    @TempDir
    Path dir;

    @Test
    void calendarFeaturesAreSinCosPairsOfTheirPlaceInTheCycle() {
        // worked by hand: the angle is 2π · (position in the cycle) / (cycle length)
        assertArrayEquals(new double[]{0, 1}, CalendarField.DAY_OF_YEAR.encode(LocalDateTime.of(2021, 1, 1, 0, 0)), 1e-12);
        // 2 July 2021 is day 183 of 365: angle 2π·182/365 = 3.1329 rad, just short of π
        assertArrayEquals(new double[]{0.008607, -0.999963}, CalendarField.DAY_OF_YEAR.encode(LocalDateTime.of(2021, 7, 2, 0, 0)), 1e-6);
        // 1 April 2020 is day 92 of the leap year's 366: angle 2π·91/366 = 1.5622 rad
        assertArrayEquals(new double[]{0.999963, 0.008583}, CalendarField.DAY_OF_YEAR.encode(LocalDateTime.of(2020, 4, 1, 0, 0)), 1e-6);
        // Wednesday is day 2 of the week from Monday 0: angle 4π/7
        assertArrayEquals(new double[]{0.974928, -0.222521}, CalendarField.DAY_OF_WEEK.encode(LocalDateTime.of(2020, 1, 1, 0, 0)), 1e-6);
        // 18:00 is three quarters of the day; 06:30 is 6.5/24 of it
        assertArrayEquals(new double[]{-1, 0}, CalendarField.HOUR_OF_DAY.encode(LocalDateTime.of(2020, 1, 1, 18, 0)), 1e-12);
        assertArrayEquals(new double[]{0.991445, -0.130526}, CalendarField.HOUR_OF_DAY.encode(LocalDateTime.of(2020, 1, 1, 6, 30)), 1e-6);
        // April is month 3 of 12 (a quarter turn); May lies in the second quarter, 1 of 4
        assertArrayEquals(new double[]{1, 0}, CalendarField.MONTH.encode(LocalDateTime.of(2020, 4, 15, 0, 0)), 1e-12);
        assertArrayEquals(new double[]{1, 0}, CalendarField.QUARTER.encode(LocalDateTime.of(2020, 5, 15, 0, 0)), 1e-12);
        // December and January are neighbours: as close as any two months
        double[] dec = CalendarField.MONTH.encode(LocalDateTime.of(2020, 12, 1, 0, 0));
        double[] jan = CalendarField.MONTH.encode(LocalDateTime.of(2021, 1, 1, 0, 0));
        double[] feb = CalendarField.MONTH.encode(LocalDateTime.of(2021, 2, 1, 0, 0));
        assertEquals(Math.hypot(feb[0] - jan[0], feb[1] - jan[1]), Math.hypot(jan[0] - dec[0], jan[1] - dec[1]), 1e-12);
        assertEquals(List.of("day-of-year.sin", "day-of-year.cos"), CalendarField.DAY_OF_YEAR.featureNames());
    }

    @Test
    void aWindowReadsItsKnownFutureAndCalendarFeaturesAHorizonAheadAndItsStaticOnesAsTheyAre() throws IOException {
        Path file = TrainedModels.promotions(dir.resolve("sales.csv"), 60, 0);
        Path config = Files.writeString(dir.resolve("c.yaml"), TrainedModels.covariateForecasterYaml(file));
        SplitData split = DatasetLoader.load(ConfigLoader.load(config, List.of()));
        assertEquals(List.of("sales", "promo", "shop=a", "shop=b", "shop=<other>", "size", "day-of-week.sin", "day-of-week.cos"),
                split.featureNames());
        Covariates layout = split.forecast().covariates();
        assertEquals(1, layout.past());
        assertEquals(2, layout.future());
        assertEquals(6, layout.statics());
        assertEquals(8, layout.width());
        assertEquals(2, layout.lead());
        // shop b's first window starts on its first day (lookback 6, no season): its origin is the first of its targets
        SequenceSet train = split.train();
        int b = -1;
        for (int i = 0; i < train.size() && b < 0; i++) {
            if (train.sequence(i)[0][3] == 1) {
                b = i;
            }
        }
        double[][] window = train.sequence(b);
        LocalDateTime start = LocalDateTime.of(2020, 1, 1, 0, 0);
        for (int t = 0; t < 6; t++) {
            assertEquals((t + 2) % 5 == 0 ? 1 : 0, window[t][1], "promo at input step " + t + " is the promotion of day t + 2");
            assertArrayEquals(new double[]{0, 1, 0, 8}, java.util.Arrays.copyOfRange(window[t], 2, 6), "shop b, size 8, at every step");
            assertArrayEquals(CalendarField.DAY_OF_WEEK.encode(start.plusDays(t + 2)), java.util.Arrays.copyOfRange(window[t], 6, 8), 1e-12);
        }
        // the past-only value is the day's own: 10 + size 8 + 6 on a promotion day (day 0) + noise
        assertEquals(24, window[0][0], 1.5);
        // a relative window measures the sales against the last observation, never the covariates
        SequenceSet relative = ForecastWindowing.relative(train.subset(new int[]{b}), split.forecast());
        assertEquals(0, relative.sequence(0)[5][0], 1e-12);
        assertEquals(window[0][0] - window[5][0], relative.sequence(0)[0][0], 1e-12);
        assertArrayEquals(java.util.Arrays.copyOfRange(window[0], 1, 8), java.util.Arrays.copyOfRange(relative.sequence(0)[0], 1, 8), 1e-12);
    }

    @Test
    void aStaticColumnThatChangesWithinASeriesIsRefusedAtItsLine() throws IOException {
        Path file = TrainedModels.promotions(dir.resolve("sales.csv"), 60, 0);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(11, lines.get(11).replaceAll(",3$", ",4")); // shop a, day 10: size 4
        Files.write(file, lines);
        Path config = Files.writeString(dir.resolve("c.yaml"), TrainedModels.covariateForecasterYaml(file));
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(ConfigLoader.load(config, List.of())));
        assertTrue(e.getMessage().contains(":12: static column feature size is 4.0 here but 3.0 on line 2"), e.getMessage());
    }

    @Test
    void configRulesRefuseCovariatesThatCannotBeRead() throws IOException {
        Path file = TrainedModels.promotions(dir.resolve("sales.csv"), 60, 0);
        String yaml = TrainedModels.covariateForecasterYaml(file);
        String[][] cases = {
                {yaml.replace("futureColumns: [promo]", "futureColumns: [promo, sales]"), "data.series.futureColumns[1]",
                        "'sales' is already in data.series.valueColumns"},
                {yaml.replace("futureColumns: [promo]", "futureColumns: [promo, day]"), "data.series.futureColumns[1]", "is a time column"},
                {yaml.replace("futureColumns: [promo]", "futureColumns: [shop]").replace("staticColumns: [shop, size]", "staticColumns: [size]"),
                        "data.series.futureColumns[0]", "is an id column"},
                {yaml.replace("calendar: [day-of-week]", "calendar: [day-of-week, day-of-week]"), "data.series.calendar[1]", "listed twice"},
                {yaml.replace("calendar: [day-of-week]", "calendar: [week-of-moon]"), "data.series.calendar[0]", "day-of-year"},
                {yaml.replace("    timeColumn: day\n", ""), "data.series.calendar", "computed from the time"},
                {yaml.replace("reference: difference", "strategy: recursive"), "data.window.strategy", "read by direct forecasters"},
                {yaml.replace("  window:", "  missing: {markers: [NA], policy: mask}\n  window:"), "data.missing", "mask is not supported"},
                {yaml.replace("kind: regression", "kind: anomaly"), "data.series", "an anomaly detector scores the series' own values"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(c[0], "c.yaml", List.of()), c[1]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), e.getMessage());
        }
    }

    @Test
    void predictNeedsTheKnownFutureValuesOfTheForecastStepsInTheFile() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), TrainedModels.covariateForecasterYaml(
                TrainedModels.promotions(dir.resolve("training.csv"), 60, 0)));
        io.rnnkit.config.DataConfig data = ConfigLoader.load(config, List.of()).config().data();
        Categories shops = new Categories(java.util.Map.of("shop", List.of("a", "b", Categories.OTHER)));
        // 20 days of history and 2 forecast days: a window ends at each day of history from the 6th
        PredictionInput in = PredictionInput.read(data, TrainedModels.promotions(dir.resolve("ahead.csv"), 20, 2), 8, 6, shops);
        assertEquals(2 * 15, in.sequences().size());
        double[][] last = in.sequences().get(14);
        assertEquals("2020-01-20", in.keys().get(14));
        // day 19's window: days 14-19, its promo features those of days 16-21 (20 is a promotion day, one of the forecast days)
        assertArrayEquals(new double[]{0, 0, 0, 0, 1, 0}, java.util.Arrays.stream(last).mapToDouble(r -> r[1]).toArray());
        DataException e = assertThrows(DataException.class,
                () -> PredictionInput.read(data, TrainedModels.promotions(dir.resolve("history.csv"), 20, 0), 8, 6, shops));
        assertTrue(e.getMessage().contains("known-future values [promo] of the 2 forecast steps") && e.getMessage().contains("has 0 such row(s)"),
                e.getMessage());
    }
}
