package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnnkit backtest}: the files it writes, its refits, and one clear message with exit 2 for settings it cannot follow. */
class BacktestCommandTest {
    @TempDir
    Path dir;

    /** A monthly series of 60 steps with a season of 4 and a trend; test part 20 steps, so 18 windows of horizon 3. */
    private Path config(String evaluation) throws IOException {
        StringBuilder csv = new StringBuilder("t,y\n");
        for (int t = 0; t < 60; t++) {
            csv.append(t).append(',').append(50 + t + new double[]{6, -2, 3, -7}[t % 4]).append('\n');
        }
        Path data = Files.writeString(dir.resolve("y.csv"), csv.toString());
        return Files.writeString(dir.resolve("c.yaml"), """
                name: bt
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, seasonalPeriod: 4}
                  window: {lookback: 4, horizon: 3}
                  split: {train: 0.5, validation: 0.1666667, test: 0.3333333}
                model: {layers: [{type: lstm, units: 4}], head: {type: quantile, levels: [0.1, 0.5, 0.9]}}
                training: {epochs: 1, batchSize: 16}
                %s
                """.formatted(data, evaluation));
    }

    @Test
    void writesTheBacktestIntoTheRunDirectoryAndRefitsEveryKOrigins() throws IOException {
        Path out = dir.resolve("run");
        CliTest.Outcome run = rnnkit("backtest", config("evaluation: {backtest: {origins: 5, step: 3, horizon: 2, refitEvery: 2}}").toString(),
                "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("backtest: 5 origins 3 step(s) apart, 2 steps ahead, refitted 2 times; 10 forecasts"), run.out());

        List<String> rows = Files.readAllLines(out.resolve("backtest.csv"));
        assertEquals("origin,position,step,actual,rnnkit,naive,seasonal_naive,q0.1,q0.5,q0.9", rows.get(0));
        assertEquals(1 + 5 * 2, rows.size(), "a row per origin and step");
        // origins 3 steps apart from the first test window's first target (row 40 of 60)
        assertTrue(rows.get(1).startsWith("0,40,1,"), rows.get(1));
        assertTrue(rows.get(3).startsWith("1,43,1,"), rows.get(3));
        assertTrue(rows.get(9).startsWith("4,52,1,"), rows.get(9));
        List<String> horizons = Files.readAllLines(out.resolve("backtest-horizons.csv"));
        assertEquals(3, horizons.size());
        assertTrue(horizons.get(0).startsWith("step,forecasts,mae,rmse,mase,smape,naive_mae,"), horizons.get(0));
        assertTrue(horizons.get(0).contains(",coverage_80,width_80,pinball_q0.1,"), horizons.get(0));
        assertTrue(horizons.get(2).startsWith("2,5,"), horizons.get(2));

        JsonNode backtest = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("backtest");
        assertEquals(5, backtest.get("origins").asInt());
        assertEquals(2, backtest.get("refits").asInt(), "origins 2-3 and 4 are forecast by models trained again");
        assertEquals(2, backtest.get("horizons").size());
        assertEquals(5, backtest.get("byOrigin").size());
        assertTrue(backtest.get("seasonal_naive_mase").isNumber());
        assertTrue(Files.size(out.resolve("plots/backtest-horizons.png")) > 0);
        assertTrue(Files.size(out.resolve("plots/backtest-origins.png")) > 0);
        // the run's config.yaml holds the backtest, so rnnkit train on it repeats it
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("refitEvery: 2"));
    }

    @Test
    void withoutTheSectionEveryOriginOfTheTestPartIsBacktestedOverTheModelsHorizon() throws IOException {
        Path out = dir.resolve("all");
        CliTest.Outcome run = rnnkit("backtest", config("").toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("backtest: 18 origins 1 step(s) apart, 3 steps ahead; 54 forecasts"), run.out());
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("backtest:"));
        // every origin, one step apart, over the whole horizon: the test split's windows, so the test split's figures
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        for (String figure : List.of("mae", "mase", "seasonal_naive_mase", "coverage_80")) {
            assertEquals(metrics.get("test").get(figure).asDouble(), metrics.get("backtest").get(figure).asDouble(), 1e-9, figure);
        }
        for (int step = 0; step < 3; step++) {
            assertEquals(metrics.get("test").get("horizons").get(step).get("mase").asDouble(),
                    metrics.get("backtest").get("horizons").get(step).get("mase").asDouble(), 1e-9, "t+" + (step + 1));
        }
    }

    @Test
    void manySeriesHaveTheirOriginsEachAndTheirRefitsScaleEachSeriesByItsOwnTrainingWindows() throws IOException {
        Path config = io.rnnkit.PanelBacktest.write(dir);
        Path out = dir.resolve("panel");
        CliTest.Outcome run = rnnkit("backtest", config.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        // 12 test quarters per series hold 11 windows of horizon 2: origins 0-10 of each, the model trained again for 5-9 and 10
        assertTrue(run.out().contains("backtest: 11 origins 1 step(s) apart, 2 steps ahead, refitted 2 times; 44 forecasts"), run.out());
        List<String> rows = Files.readAllLines(out.resolve("backtest.csv"));
        assertEquals("origin,position,Region,step,actual,rnnkit,naive,seasonal_naive", rows.get(0));
        assertTrue(rows.get(1).startsWith("0,28,\"Alpha, North\",1,"), rows.get(1));
        assertTrue(rows.get(3).startsWith("0,28,Beta,1,"), rows.get(3));
        assertEquals(1 + 11 * 2 * 2, rows.size());
    }

    @Test
    void settingsTheDataOrTheModelCannotFollowAreOneMessageAndExit2() throws IOException {
        CliTest.Outcome many = rnnkit("backtest", config("evaluation: {backtest: {origins: 10, step: 2}}").toString(),
                "--out", dir.resolve("many").toString());
        assertEquals(2, many.code(), many.out());
        assertTrue(many.err().contains("evaluation.backtest.origins: 10 origins asked, but the test part holds 9 origin(s) 2 step(s) apart"),
                many.err());
        assertFalse(Files.exists(dir.resolve("many")), "bad settings never touch the run directory");

        CliTest.Outcome longer = rnnkit("backtest", config("evaluation: {backtest: {horizon: 4}}").toString(), "--out", dir.resolve("l").toString());
        assertEquals(2, longer.code());
        assertTrue(longer.err().contains("evaluation.backtest.horizon: 4 steps is longer than the model forecasts (data.window.horizon: 3)"),
                longer.err());

        CliTest.Outcome stride = rnnkit("backtest", config("evaluation: {backtest: {step: 3}}").toString(), "--set", "data.window.stride=2");
        assertEquals(2, stride.code());
        assertTrue(stride.err().contains("evaluation.backtest.step: origins are the test windows' first targets, which lie"
                + " data.window.stride (2) apart; use a multiple of it, got 3"), stride.err());

        CliTest.Outcome bad = rnnkit("backtest", config("evaluation: {backtest: {origins: some}}").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("evaluation.backtest.origins: must be a positive number of origins"), bad.err());

        CliTest.Outcome classifier = rnnkit("backtest", Path.of("configs/quickstart.yaml").toString(), "--out", dir.resolve("q").toString());
        assertEquals(2, classifier.code());
        assertTrue(classifier.err().contains("evaluation.backtest: backtests a forecaster"), classifier.err());
        assertEquals(1, classifier.err().lines().filter(l -> l.startsWith("error")).count(), classifier.err());
    }
}
