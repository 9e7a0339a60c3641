package io.rnnkit.cli;

import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.bundle.UnsupportedByModelException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.data.Scaler;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model of many series with a per-series normalizer: each series' scaling saved in the bundle and used by RnnModel
 * and predict, whose rows are keyed by the series' id; metrics per series and their mean.
 */
class PanelSeriesTest {
    @TempDir
    Path dir;

    /** Two quarterly series far apart in size: ("Alpha, North", Business) near 100, (Beta, Holiday) near 5000, with a season. */
    private Path panel(String name, int quarters, boolean gamma) throws IOException {
        StringBuilder csv = new StringBuilder("Quarter,Region,Purpose,Trips\n");
        for (int t = 0; t < quarters; t++) {
            String quarter = (1998 + t / 4) + " Q" + (t % 4 + 1);
            double season = new double[]{1.2, 0.9, 1.0, 0.9}[t % 4];
            csv.append(quarter).append(",\"Alpha, North\",Business,").append(100 * season + t % 3).append('\n');
            csv.append(quarter).append(",Beta,Holiday,").append(5000 * season + 7 * (t % 5)).append('\n');
            if (gamma) {
                csv.append(quarter).append(",Gamma,Other,").append(50 * season).append('\n');
            }
        }
        return Files.writeString(dir.resolve(name), csv.toString());
    }

    private ExperimentRunner.RunResult train() throws IOException {
        return train("per-series");
    }

    private ExperimentRunner.RunResult train(String scope) throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                name: panel
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: Quarter, idColumns: [Region, Purpose], normalizerScope: %s, seasonalPeriod: 4}
                  window: {lookback: 4, horizon: 2}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16}
                """.formatted(panel("train.csv", 40, false), scope));
        return ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
    }

    @Test
    void perSeriesScalingRoundTripsThroughTheBundleAndPredictIsKeyedBySeries() throws IOException {
        ExperimentRunner.RunResult run = train();
        Path bundle = run.directory().resolve("model.zip");
        Bundle.Manifest manifest = Bundle.verify(bundle);
        assertTrue(manifest.entries().containsKey(BundleFormat.SERIES));
        assertFalse(manifest.entries().containsKey(BundleFormat.NORMALIZER), "no global normalizer beside the per-series ones");

        // each series scaled by its own training statistics: their means (feature shift) are 100 and 5000 apart in size
        RnnModel model = RnnModel.load(bundle);
        assertEquals(List.of("Region", "Purpose"), model.series().idColumns());
        assertEquals(List.of(List.of("Alpha, North", "Business"), List.of("Beta", "Holiday")), model.series().ids());
        List<Scaler> scalers = model.series().scalers();
        assertTrue(Math.abs(scalers.get(0).feature(0, 100)) < 2, "Alpha's 100 is near its own mean");
        assertTrue(Math.abs(scalers.get(1).feature(0, 5000)) < 2, "Beta's 5000 is near its own mean");
        assertTrue(scalers.get(0).feature(0, 5000) > 100, "Alpha's scale is not Beta's");

        // the loaded model answers the test windows as the run scored them: MAE recomputed from RnnModel's forecasts
        SequenceSet test = run.data().test();
        List<double[][]> windows = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            windows.add(test.sequence(i));
        }
        List<double[]> forecasts = model.predict(windows, run.data().forecast().panel().idsOf(test));
        double sum = 0;
        for (int i = 0; i < test.size(); i++) {
            for (int h = 0; h < 2; h++) {
                sum += Math.abs(forecasts.get(i)[h] - test.target(i)[h]);
            }
        }
        SplitMetrics metrics = run.metrics().get("test");
        assertEquals(metrics.get("mae"), sum / (2 * test.size()), 1e-9);

        // MASE of a panel is the mean of the series' MASE; each series has its row in series-metrics.csv
        assertEquals(2, metrics.series().size());
        assertEquals((metrics.series().get(0).values().get("mase") + metrics.series().get(1).values().get("mase")) / 2, metrics.get("mase"), 1e-12);
        List<String> rows = Files.readAllLines(run.directory().resolve(ExperimentRunner.SERIES_METRICS));
        assertTrue(rows.get(0).startsWith("split,Region,Purpose,windows,mae,rmse,mase,smape,naive_mae,"), rows.get(0));
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("test,\"Alpha, North\",Business,5,")), rows.toString());
        String json = Files.readString(run.directory().resolve("metrics.json"));
        assertTrue(json.contains("\"series\" : {") && json.contains("\"mase_below_seasonal_naive_mase\""), json);

        // rnnkit evaluate scales the config's series by the bundle's own statistics: the run's figures again
        CliTest.Outcome evaluated = rnnkit("evaluate", "--model", bundle.toString(), "--config", dir.resolve("c.yaml").toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().contains(String.format(" mase=%.4f ", metrics.get("mase"))), evaluated.out());
        assertTrue(evaluated.out().contains(String.format(" loss=%.4f ", metrics.get("loss"))), evaluated.out());

        // without the series' names a per-series model cannot scale: refused, saying what to call
        UnsupportedByModelException unnamed = assertThrows(UnsupportedByModelException.class, () -> model.predict(windows));
        assertTrue(unnamed.getMessage().contains("predict(sequences, seriesIds)"), unnamed.getMessage());

        // predict: every window of each series, keyed by the id columns, then the quarter
        Path recent = panel("recent.csv", 6, false);
        PredictionInput in = model.read(recent);
        assertEquals(List.of("Region", "Purpose"), in.idColumns());
        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", recent.toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("Region,Purpose,Quarter,t+1,t+2", lines.get(0));
        assertEquals(1 + 2 * 3, lines.size(), "3 windows of 4 quarters in each of 6 quarters, 2 series");
        assertTrue(lines.get(1).startsWith("\"Alpha, North\",Business,1998 Q4,"), lines.get(1));
        assertTrue(lines.get(6).startsWith("Beta,Holiday,1999 Q2,"), lines.get(6));
        assertEquals(model.predict(in).get(5)[1], Double.parseDouble(lines.get(6).split(",")[4]), 1e-4);
        double[] alone = model.forecast(List.of("Beta", "Holiday"), in.sequences().get(5), 2);
        assertEquals(model.predict(in).get(5)[0], alone[0], 1e-9);

        // a series the model never saw has no statistics: one message naming the file's line and the series, exit 2
        Path unseen = panel("unseen.csv", 6, true);
        CliTest.Outcome refused = rnnkit("predict", "--model", bundle.toString(), "--input", unseen.toString());
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("unseen.csv:13: series Region=Gamma, Purpose=Other is not one of the 2 series"), refused.err());
        assertThrows(ModelInputException.class, () -> model.predict(model.read(unseen)));
    }

    @Test
    void aGlobalNormalizerScalesEverySeriesAlikeAndNeedsNoIds() throws IOException {
        ExperimentRunner.RunResult run = train("global");
        Path bundle = run.directory().resolve("model.zip");
        Bundle.Manifest manifest = Bundle.verify(bundle);
        assertTrue(manifest.entries().containsKey(BundleFormat.NORMALIZER) && manifest.entries().containsKey(BundleFormat.SERIES));
        RnnModel model = RnnModel.load(bundle);
        assertFalse(model.series().perSeries());
        assertEquals(2, model.series().ids().size());
        PredictionInput in = model.read(panel("recent.csv", 6, true));
        assertEquals(List.of("Gamma", "Other"), in.seriesIds().get(8), "a series unseen in training is forecast: its scaling is everyone's");
        List<double[]> named = model.predict(in);
        List<double[]> plain = model.predict(in.sequences());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(plain.get(i)[1], named.get(i)[1], 0.0);
        }
        assertEquals(2, run.metrics().get("test").series().size());
    }

    @Test
    void anUnknownIdColumnExits2WithItsYamlPath() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                name: panel
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: Quarter, idColumns: [Region, Purpos], seasonalPeriod: 4}
                  window: {lookback: 4, horizon: 2}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(panel("train.csv", 40, false)));
        CliTest.Outcome o = rnnkit("train", config.toString(), "--out", dir.resolve("run").toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("data.series.idColumns[1]") && o.err().contains("no column 'Purpos'"), o.err());
        assertFalse(Files.exists(dir.resolve("run")), "nothing written");
        assertFalse(o.err().contains("\tat "), "no stack trace");
    }
}
