package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trained anomaly detector as an application uses it: the whole-series call, the live stream (the same scores,
 * to float precision), {@code rnnkit predict}, and a bundle whose calibration was removed or tampered with.
 */
class AnomalyDetectorTest {
    @TempDir
    static Path dir;
    static TrainedModels.Trained trained;
    static RnnModel model;
    static double[][] series;

    @BeforeAll
    static void train() throws IOException {
        trained = TrainedModels.detector();
        model = RnnModel.load(trained.bundle());
        series = steps(TrainedModels.anomalySeries(dir.resolve("series.csv"), 300));
    }

    private static double[][] steps(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        double[][] out = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            out[i - 1] = new double[]{Double.parseDouble(lines.get(i).split(",")[1])};
        }
        return out;
    }

    @Test
    void theRunMeasuredTheDetectorAgainstItsWindowAndSavedItsCalibration() {
        Map<String, Object> anomaly = trained.run().anomaly();
        Map<?, ?> rnnkit = (Map<?, ?>) ((Map<?, ?>) anomaly.get("detectors")).get("rnnkit");
        assertEquals(2, rnnkit.get("windows"));
        assertEquals(2, rnnkit.get("windowsDetected"), "jumps of three times the season's amplitude: " + rnnkit);
        assertNotNull(model.anomalyCalibration());
        assertEquals(model.anomalyCalibration(), anomaly.get("calibration"));
        assertTrue(Files.exists(trained.run().directory().resolve("plots/anomaly.png")));
        CliTest.Outcome report = CliTest.rnnkit("report", trained.run().directory().toString());
        assertEquals(0, report.code(), report.err());
        String html = assertDoesNotThrow(() -> Files.readString(trained.run().directory().resolve("report.html")));
        assertTrue(html.contains("<h3>Anomaly detection</h3>") && html.contains("<td>rnnkit</td>") && html.contains("<td>rolling z-score</td>")
                && html.contains("semi-supervised (not the saved model)") && html.contains("alt=\"anomaly.png\""), "the report's anomaly table and plot");
        // the semi-supervised detector learnt from the windows clear of the labelled one, and is reported apart
        Map<?, ?> semi = (Map<?, ?>) anomaly.get("semiSupervised");
        int all = trained.run().data().train().size();
        assertTrue((Integer) semi.get("trainingWindows") < all && (Integer) semi.get("trainingWindows") > all / 2, semi + " of " + all);
        assertEquals(2, semi.get("windows"));
    }

    @Test
    void theStreamScoresEveryStepAsTheWholeSeriesCallDoes() {
        AnomalyDetection batch = model.detect(series);
        ModelStream stream = model.openStream();
        int flagged = 0;
        for (int t = 0; t < series.length; t++) {
            ModelStream.Observation o = stream.observe(series[t]);
            if (t < 8) {
                assertTrue(Double.isNaN(o.score()) && !o.flagged(), "step " + t + " has no window before it");
                continue;
            }
            assertEquals(batch.forecasts()[t], o.forecast(), 1e-5 * Math.abs(batch.forecasts()[t]), "forecast at step " + t);
            assertEquals(batch.scores()[t], o.score(), 1e-4 * Math.max(1, batch.scores()[t]), "score at step " + t);
            assertEquals(batch.flags()[t], o.flagged(), "flag at step " + t);
            flagged += o.flagged() ? 1 : 0;
        }
        assertTrue(flagged > 0 && jumpFlag(batch) > 0, "the jump is flagged");
        stream.reset();
        assertTrue(Double.isNaN(stream.observe(series[0]).score()), "a reset stream starts a new window");
    }

    /** The first flagged step of the second jump (steps 250–254) and the two after it, or -1. */
    private static int jumpFlag(AnomalyDetection detection) {
        for (int t = 250; t < 257; t++) {
            if (detection.flags()[t]) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void predictWritesAScoredRowPerStep() throws IOException {
        Path out = dir.resolve("scores.csv");
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", trained.bundle().toString(), "--input",
                TrainedModels.anomalySeries(dir.resolve("predict.csv"), 300).toString(), "--output", out.toString());
        assertEquals(0, o.code(), o.err());
        List<String> rows = Files.readAllLines(out);
        assertEquals("time,value,forecast,error,score,flagged,event", rows.get(0));
        assertEquals(301, rows.size());
        assertTrue(rows.get(1).startsWith("2020-01-01T00:00,") && rows.get(1).endsWith(",,,,0,"), rows.get(1));
        AnomalyDetection batch = model.detect(series);
        int step = jumpFlag(batch);
        String[] jump = rows.get(1 + step).split(",", -1);
        assertEquals(batch.scores()[step], Double.parseDouble(jump[4]), 1e-9);
        assertEquals("1", jump[5]);
        assertEquals(Integer.toString(1 + batch.events().indexOf(batch.events().stream().filter(e -> e.start() <= step && e.end() >= step)
                .findFirst().orElseThrow())), jump[6]);
    }

    @Test
    void readingTheSeriesGivesAForecastersWindowsThoughItHasLabelledWindows() throws IOException {
        io.rnnkit.data.PredictionInput in = model.read(TrainedModels.anomalySeries(dir.resolve("read.csv"), 300));
        assertEquals(300 - 8 + 1, in.sequences().size(), "a window of the lookback ending at every step, not per-step chunks");
        assertEquals(8, in.sequences().get(0).length);
    }

    @Test
    void otherModelsRefuseDetectionAndAShortSeriesIsRefused() {
        RnnModel forecaster = RnnModel.load(TrainedModels.forecaster().bundle());
        UnsupportedByModelException e = assertThrows(UnsupportedByModelException.class, () -> forecaster.detect(series));
        assertTrue(e.getMessage().contains("task.kind: anomaly"), e.getMessage());
        assertThrows(UnsupportedByModelException.class, () -> forecaster.openStream().observe(1.0));
        SequenceLengthException short_ = assertThrows(SequenceLengthException.class, () -> model.detect(java.util.Arrays.copyOf(series, 8)));
        assertTrue(short_.getMessage().contains("lookback"), short_.getMessage());
        assertThrows(FeatureCountException.class, () -> model.openStream().observe(1.0, 2.0));
    }

    /** The detector's bundle with its calibration replaced ({@code bytes}) or removed (null), the manifest recomputed. */
    private static Path crafted(String name, Path bundle, byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(bundle));
        if (bytes == null) {
            entries.remove(BundleFormat.ANOMALY);
        } else {
            entries.put(BundleFormat.ANOMALY, bytes);
        }
        return Files.write(dir.resolve(name), CraftedZip.build(CraftedZip.honest(CraftedZip.withRecomputedManifest(entries))));
    }

    @Test
    void aBundleWithoutOrWithATamperedCalibrationIsRefused() throws IOException {
        Path missing = crafted("missing.zip", trained.bundle(), null);
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(missing));
        assertTrue(e.getMessage().contains("anomaly detector") && e.getMessage().contains(BundleFormat.ANOMALY), e.getMessage());

        ObjectNode json = (ObjectNode) CraftedZip.json(CraftedZip.entries(trained.bundle()).get(BundleFormat.ANOMALY));
        json.put("errorStd", -1.0);
        Path negative = crafted("negative.zip", trained.bundle(), CraftedZip.json(json));
        e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(negative));
        assertTrue(e.getMessage().contains(BundleFormat.ANOMALY) && e.getMessage().contains("positive finite error standard deviation"), e.getMessage());

        json.remove("errorStd");
        Path absent = crafted("absent.zip", trained.bundle(), CraftedZip.json(json));
        e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(absent));
        assertTrue(e.getMessage().contains("errorStd"), e.getMessage());

        Path onClassifier = crafted("classifier.zip", TrainedModels.classifier().bundle(),
                CraftedZip.entries(trained.bundle()).get(BundleFormat.ANOMALY));
        e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(onClassifier));
        assertTrue(e.getMessage().contains("makes no detector"), e.getMessage());
        CliTest.Outcome o = CliTest.rnnkit("inspect", onClassifier.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        CliTest.Outcome honest = CliTest.rnnkit("inspect", trained.bundle().toString());
        assertTrue(honest.code() == 0 && honest.out().contains("detects anomalies: a step is flagged when")
                && honest.out().contains("exceeds " + model.anomalyCalibration().threshold()), honest.out() + honest.err());
    }

    @Test
    void theCalibrationIsReadBackAsWritten() {
        AnomalyCalibration c = model.anomalyCalibration();
        assertEquals(2, c.smoothing());
        assertEquals(3, c.minGap());
        assertArrayEquals(model.detect(series).flags(), c.flags(model.detect(series).scores()));
    }
}
