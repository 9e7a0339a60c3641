package io.rnnkit.cli;

import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.MissingCovariatesException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.CalendarField;
import io.rnnkit.data.PredictionInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saved forecaster with covariates of every kind (known-future promotions, static shop and size, the day of the week):
 * its contract names them, predict reads the forecast days' promotions from the file, and the API takes them as numbers
 * or refuses a forecast without them.
 */
class CovariatesPredictTest {
    @TempDir
    Path dir;

    @Test
    void theContractNamesTheCovariatesByKind() {
        RnnModel model = RnnModel.load(TrainedModels.covariateForecaster().bundle());
        assertEquals(BundleFormat.VERSION, Bundle.verify(TrainedModels.covariateForecaster().bundle()).formatVersion());
        InputContract.CovariateColumns covariates = model.contract().forecast().covariates();
        assertEquals(new InputContract.CovariateColumns(List.of("promo"), List.of("shop", "size"), List.of(CalendarField.DAY_OF_WEEK), 2), covariates);
        assertEquals(List.of("promo", "day-of-week.sin", "day-of-week.cos"), model.futureFeatureNames());
    }

    @Test
    void predictReadsTheForecastDaysPromotionsFromTheFileAsForecastDoesFromNumbers() throws IOException {
        RnnModel model = RnnModel.load(TrainedModels.covariateForecaster().bundle());
        Path file = TrainedModels.promotions(dir.resolve("recent.csv"), 20, 2);
        CliTest.Outcome o = rnnkit("predict", "--model", TrainedModels.covariateForecaster().bundle().toString(), "--input", file.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("shop,day,t+1,t+2", lines.get(0));
        assertEquals(1 + 2 * 15, lines.size(), "a window ends at each of days 6-20 of each shop");
        assertTrue(lines.get(15).startsWith("a,2020-01-20,"), lines.get(15));

        // the same forecast from numbers: shop a's last 6 days (every feature at its own day) and the 2 forecast days'
        // promotions and weekdays
        PredictionInput in = model.read(file);
        double[][] history = new double[6][];
        for (int t = 0; t < 6; t++) {
            LocalDateTime day = LocalDateTime.of(2020, 1, 15 + t, 0, 0);
            double[] week = CalendarField.DAY_OF_WEEK.encode(day);
            history[t] = new double[]{in.sequences().get(14)[t][0], (14 + t) % 5 == 0 ? 1 : 0, 1, 0, 0, 3, week[0], week[1]};
        }
        double[][] future = new double[2][];
        for (int h = 0; h < 2; h++) {
            double[] week = CalendarField.DAY_OF_WEEK.encode(LocalDateTime.of(2020, 1, 21 + h, 0, 0));
            future[h] = new double[]{(20 + h) % 5 == 0 ? 1 : 0, week[0], week[1]};
        }
        double[] forecast = model.forecast(List.of("a"), history, future);
        String[] row = lines.get(15).split(",");
        assertEquals(forecast[0], Double.parseDouble(row[2]), 1e-3);
        assertEquals(forecast[1], Double.parseDouble(row[3]), 1e-3);
        assertEquals(model.predict(in).get(14)[0], forecast[0], 1e-9);
        // a promotion on the forecast day is seen: the forecast without it differs
        future[0][0] = 0;
        assertTrue(Math.abs(model.forecast(List.of("a"), history, future)[0] - forecast[0]) > 1e-6);
    }

    @Test
    void aForecastWithoutTheFutureValuesIsRefused() throws IOException {
        Path bundle = TrainedModels.covariateForecaster().bundle();
        RnnModel model = RnnModel.load(bundle);
        double[][] history = new double[6][8];
        for (double[] step : history) {
            Arrays.fill(step, 1);
        }
        MissingCovariatesException none = assertThrows(MissingCovariatesException.class, () -> model.forecast(history, 2));
        assertTrue(none.getMessage().contains("known-future features [promo, day-of-week.sin, day-of-week.cos]"), none.getMessage());
        MissingCovariatesException steps = assertThrows(MissingCovariatesException.class,
                () -> model.forecast(List.of("a"), history, new double[1][3]));
        assertTrue(steps.getMessage().contains("each of its 2 forecast steps, but 1 step(s) were given"), steps.getMessage());
        MissingCovariatesException width = assertThrows(MissingCovariatesException.class,
                () -> model.forecast(List.of("a"), history, new double[][]{{1, 0, 1}, {1, 0}}));
        assertTrue(width.getMessage().contains("forecast step 2 needs 3 finite value(s)"), width.getMessage());
        MissingCovariatesException nan = assertThrows(MissingCovariatesException.class,
                () -> model.forecast(List.of("a"), history, new double[][]{{1, 0, 1}, {Double.NaN, 0, 1}}));
        assertTrue(nan.getMessage().contains("forecast step 2"), nan.getMessage());

        // predict from a file that ends with the history: one message naming the file, exit 2
        Path history20 = TrainedModels.promotions(dir.resolve("history.csv"), 20, 0);
        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", history20.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("history.csv: the model reads the known-future values [promo] of the 2 forecast steps"), o.err());
    }

    @Test
    void aSeriesWithAShortHistoryIsForecastFromItsFirstStepRepeated() throws IOException {
        Path bundle = TrainedModels.covariateForecaster().bundle();
        RnnModel model = RnnModel.load(bundle);
        // shop b opened on day 17: 3 days of history (the minimum is 2) and its 2 forecast days
        List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(TrainedModels.promotions(dir.resolve("all.csv"), 20, 2)));
        lines.subList(23, 23 + 17).clear();
        Path file = java.nio.file.Files.write(dir.resolve("new-shop.csv"), lines);
        PredictionInput in = model.read(file);
        assertEquals(15 + 1, in.sequences().size());
        assertEquals(List.of("b"), in.seriesIds().get(15));
        assertEquals("2020-01-20", in.keys().get(15));
        assertTrue(in.notes().stream().anyMatch(n -> n.contains("series b has 3 of the 6 steps of a window: forecast from its first step repeated 3")),
                in.notes().toString());
        double[][] padded = in.sequences().get(15);
        assertEquals(padded[0][0], padded[3][0], "the first observed day repeated before it");
        assertEquals(in.sequences().get(15)[5][0], Double.parseDouble(lines.get(25).split(",")[2]), 1e-9);
        assertTrue(Double.isFinite(model.predict(in).get(15)[1]));
        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", file.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\nb,2020-01-20,"), o.out());

        // one day is below the minimum: refused, naming it
        lines.subList(23, 25).clear();
        Path oneDay = java.nio.file.Files.write(dir.resolve("one-day.csv"), lines);
        CliTest.Outcome refused = rnnkit("predict", "--model", bundle.toString(), "--input", oneDay.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("1 steps, but the model forecasts from windows of 6 steps (data.window.lookback); a series of a"
                + " global model needs at least 2"), refused.err());
    }
}
