package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles written by earlier rnnkit versions, one committed fixture per format version, still load and
 * give the numbers the rnnkit that wrote them computed (see the README beside each fixture).
 */
class FormatCompatibilityTest {
    private static RnnModel fixture(String path) throws IOException {
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream(path)) {
            return RnnModel.load(in);
        }
    }

    private static JsonNode expected(String path) throws IOException {
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream(path)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static double[][] sequence(JsonNode steps) {
        double[][] out = new double[steps.size()][];
        for (int t = 0; t < steps.size(); t++) {
            out[t] = new double[steps.get(t).size()];
            for (int f = 0; f < out[t].length; f++) {
                out[t][f] = steps.get(t).get(f).asDouble();
            }
        }
        return out;
    }

    private static double[] vector(JsonNode values) {
        double[] out = new double[values.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = values.get(k).asDouble();
        }
        return out;
    }

    @Test
    void aFormat1ClassifierLoadsWithItsContractCompletedAndGivesItsOwnProbabilities() throws IOException {
        RnnModel model = fixture("format-1/classifier.zip");
        assertEquals(1, model.formatVersion());
        InputContract c = model.contract();
        assertEquals(List.of("x1"), c.featureNames(), "positional names, as version 1 saved none");
        assertTrue(c.fixedLength(), "generated data has one length");
        assertEquals(12, c.maxLength());
        assertNull(c.forecast());
        assertEquals(List.of("normal", "cyclic", "increasing-trend", "decreasing-trend", "upward-shift", "downward-shift"), c.classes());
        assertNull(model.provenance().configCommit());
        assertEquals("fixture-v1", model.provenance().experiment());
        JsonNode expected = expected("format-1/expected.json");
        List<double[][]> sequences = new ArrayList<>();
        for (int i = 0; i < expected.get("sequences").size(); i++) {
            double[][] sequence = sequence(expected.get("sequences").get(i));
            sequences.add(sequence);
            assertArrayEquals(vector(expected.get("probabilities").get(i)), model.classify(sequence).probabilities(), 1e-6, "sequence " + i);
        }
        ModelStream stream = model.openStream();
        double[] last = null;
        for (double[] step : sequences.get(0)) {
            last = stream.step(step);
        }
        assertArrayEquals(vector(expected.get("probabilities").get(0)), last, 1e-6, "a version-1 bundle streams too");
    }

    @Test
    void aFormat2ForecasterLoadsAndGivesItsOwnForecasts() throws IOException {
        RnnModel model = fixture("format-2/forecaster.zip");
        assertEquals(2, model.formatVersion());
        assertEquals(new InputContract.Forecasting(6, 2, "value", 0, io.rnnkit.config.ForecastStrategy.DIRECT), model.contract().forecast());
        assertFalse(model.contract().forecast().isRecursive(), "a format-2 forecaster, saved before strategies, is direct");
        assertNull(model.contract().vocabulary(), "format 2 kept no vocabulary");
        assertEquals(List.of("value"), model.contract().featureNames());
        assertNull(model.contract().vocabulary(), "format 2 kept no input vocabulary; format 3 added it");
        JsonNode expected = expected("format-2/expected.json");
        for (int i = 0; i < expected.get("sequences").size(); i++) {
            double[][] window = sequence(expected.get("sequences").get(i));
            assertArrayEquals(vector(expected.get("values").get(i)), model.forecast(window, 2), 1e-5, "window " + i);
        }
    }

    @Test
    void aFormat3TranslatorLoadsWithItsVocabularyAndTranslatesAsItsRunDid() throws IOException {
        RnnModel model = fixture("format-3/translator.zip");
        assertEquals(3, model.formatVersion());
        assertTrue(model.contract().vocabulary().contains("<sep>"), "format 3 keeps the input vocabulary: " + model.contract().vocabulary());
        JsonNode expected = expected("format-3/expected.json");
        List<String> sources = new ArrayList<>();
        List<String> translations = new ArrayList<>();
        expected.get("sources").forEach(n -> sources.add(n.asText()));
        expected.get("translations").forEach(n -> translations.add(n.asText()));
        assertEquals(translations, model.translate(sources, 1));
    }

    @Test
    void aSignedFormat4ClassifierLoadsOnlyWithItsSignersKeyAndGivesItsOwnProbabilities() throws IOException {
        java.security.PublicKey signer;
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream("format-4/signer.pub.pem")) {
            java.nio.file.Path key = java.nio.file.Files.createTempFile("signer", ".pem");
            java.nio.file.Files.write(key, in.readAllBytes());
            signer = BundleSignature.readPublicKey(key);
            java.nio.file.Files.delete(key);
        }
        JsonNode expected = expected("format-4/expected.json");
        assertEquals(expected.get("signerFingerprint").asText(), BundleSignature.fingerprint(signer));
        RnnModel model;
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream("format-4/classifier.zip")) {
            model = RnnModel.load(in, List.of(signer));
        }
        assertEquals(4, model.formatVersion());
        for (int i = 0; i < expected.get("sequences").size(); i++) {
            assertArrayEquals(vector(expected.get("probabilities").get(i)), model.classify(sequence(expected.get("sequences").get(i))).probabilities(),
                    1e-6, "sequence " + i);
        }
        try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream("format-4/classifier.zip")) {
            java.util.List<java.security.PublicKey> other = List.of(BundleSignature.generate().getPublic());
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(BundleIntegrityException.class, () -> RnnModel.load(in, other))
                    .getMessage().contains("which is not among the trusted keys"));
        }
    }

    /**
     * Formats 3 to 7 were saved while rnnkit's cells were {@code io.rnnkit.nn.layers.LSTM}/{@code GRU}: they load
     * as the renamed classes (and give their own numbers, the tests above), and a new save names the new classes.
     */
    @Test
    void bundlesSavedUnderTheCellsOldClassNamesLoadAsTheRenamedCellsAndSaveUnderTheNewNames() throws IOException {
        for (String[] fixture : new String[][] {{"format-3/translator.zip", "GRU"}, {"format-4/classifier.zip", "LSTM"}}) {
            byte[] zip;
            try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream(fixture[0])) {
                zip = in.readAllBytes();
            }
            String saved = entry(zip, BundleFormat.NETWORK_CONFIG);
            String old = "\"io.rnnkit.nn.layers." + fixture[1] + "\"";
            assertTrue(saved.contains(old), fixture[0] + " names " + old);
            Bundle bundle = Bundle.load(new java.io.ByteArrayInputStream(zip), fixture[0]).bundle();
            Class<?> renamed = io.rnnkit.nn.layers.LegacyCellNames.RENAMED.get("io.rnnkit.nn.layers." + fixture[1]);
            String resaved = new String(NetworkCodec.entries(bundle.network(), false).get(BundleFormat.NETWORK_CONFIG),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertFalse(resaved.contains(old), "a new save no longer names " + old);
            assertTrue(resaved.contains("\"" + renamed.getName() + "\""), "the loaded cell is a " + renamed.getName() + ": " + resaved);
        }
    }

    private static String entry(byte[] zip, String name) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in the fixture");
    }

    @Test
    void aFormat5ForecasterReadsItsCategoricalColumnAsRawTextAndGivesItsOwnForecasts() throws IOException {
        Fixture fixture = fixture(5, "format-5", "forecaster.zip");
        RnnModel model = fixture.model();
        JsonNode expected = fixture.expected();
        List<String> weather = new java.util.ArrayList<>();
        expected.get("categories").get("weather").forEach(n -> weather.add(n.asText()));
        assertEquals(java.util.Map.of("weather", weather), model.categories().byColumn());
        io.rnnkit.data.PredictionInput in = fixture.recent();
        List<double[]> forecasts = model.predict(in.sequences());
        for (int i = 0; i < expected.get("forecasts").size(); i++) {
            assertEquals(expected.get("keys").get(i).asText(), in.keys().get(i));
            assertEquals(expected.get("forecasts").get(i).asDouble(), forecasts.get(i)[0], 1e-5, "window " + i);
        }
    }

    @Test
    void aFormat6PanelModelScalesEachSeriesByItsOwnSavedStatistics() throws IOException {
        Fixture fixture = fixture(6, "format-6-panel", "panel.zip");
        RnnModel model = fixture.model();
        JsonNode expected = fixture.expected();
        assertEquals(List.of("Region", "Purpose"), model.series().idColumns());
        io.rnnkit.data.PredictionInput in = fixture.recent();
        List<double[]> forecasts = model.predict(in);
        assertEquals(expected.get("forecasts").size(), forecasts.size());
        for (int i = 0; i < forecasts.size(); i++) {
            assertEquals(expected.get("keys").get(i).asText(), in.keys().get(i));
            assertEquals(expected.get("ids").get(i).get(0).asText(), in.seriesIds().get(i).get(0));
            for (int h = 0; h < 2; h++) {
                assertEquals(expected.get("forecasts").get(i).get(h).asDouble(), forecasts.get(i)[h], 1e-3, "window " + i + " step " + h);
            }
        }
    }

    @Test
    void aFormat7ForecasterReadsItsKnownFutureStaticAndCalendarCovariatesAsItWasSaved() throws IOException {
        Fixture fixture = fixture(7, "format-7-covariates", "covariates.zip");
        JsonNode expected = fixture.expected();
        assertEquals(List.of("promo", "day-of-week.sin", "day-of-week.cos"), fixture.model().futureFeatureNames());
        List<double[]> forecasts = fixture.model().predict(fixture.recent());
        assertEquals(expected.get("forecasts").size(), forecasts.size());
        for (int i = 0; i < forecasts.size(); i++) {
            assertEquals(expected.get("keys").get(i).asText(), fixture.recent().keys().get(i));
            assertEquals(expected.get("ids").get(i).asText(), fixture.recent().seriesIds().get(i).get(0));
            for (int h = 0; h < 2; h++) {
                assertEquals(expected.get("forecasts").get(i).get(h).asDouble(), forecasts.get(i)[h], 1e-3, "window " + i + " step " + h);
            }
        }
    }

    /** A fixture bundle as loaded, its {@code recent.csv} as the model reads it, and its {@code expected.json}. */
    private record Fixture(RnnModel model, io.rnnkit.data.PredictionInput recent, JsonNode expected) {
    }

    /**
     * Loads bundle {@code zip} of {@code folder}, checks that it reads as format {@code formatVersion}, and reads the
     * folder's {@code recent.csv} with it, from a temporary copy.
     */
    private static Fixture fixture(int formatVersion, String folder, String zip) throws IOException {
        String version = folder;
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(version);
        try {
            for (String name : List.of(zip, "recent.csv")) {
                try (InputStream in = FormatCompatibilityTest.class.getResourceAsStream(version + "/" + name)) {
                    java.nio.file.Files.copy(in, dir.resolve(name));
                }
            }
            RnnModel model = RnnModel.load(dir.resolve(zip));
            assertEquals(formatVersion, model.formatVersion());
            return new Fixture(model, model.read(dir.resolve("recent.csv")), expected(version + "/expected.json"));
        } finally {
            for (String name : List.of(zip, "recent.csv")) {
                java.nio.file.Files.deleteIfExists(dir.resolve(name));
            }
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void aFormat6AnomalyDetectorGivesItsOwnScoresAndFlags() throws IOException {
        JsonNode expected = expected("format-6/expected.json");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("format-6");
        java.nio.file.Path recent = dir.resolve("recent.csv");
        try (InputStream csv = FormatCompatibilityTest.class.getResourceAsStream("format-6/recent.csv")) {
            java.nio.file.Files.copy(csv, recent);
        }
        RnnModel model = fixture("format-6/detector.zip");
        assertEquals(6, model.formatVersion());
        assertEquals(expected.get("threshold").asDouble(), model.anomalyCalibration().threshold(), 0);
        AnomalyDetection detection = model.detect(io.rnnkit.data.PredictionInput.series(model.config().data(), recent, model.categories()).values());
        for (int t = 0; t < expected.get("scores").size(); t++) {
            JsonNode score = expected.get("scores").get(t);
            if (score.isNull()) {
                assertTrue(Double.isNaN(detection.scores()[t]), "step " + t + " has no window before it");
            } else {
                assertEquals(score.asDouble(), detection.scores()[t], 1e-5, "step " + t);
            }
            assertEquals(expected.get("flags").get(t).asBoolean(), detection.flags()[t], "step " + t);
        }
        assertTrue(detection.flags()[31], "the jump is flagged");
        java.nio.file.Files.delete(recent);
        java.nio.file.Files.delete(dir);
    }

    @Test
    void aFormat7EnsembleGivesTheMeanOfItsMembersProbabilities() throws IOException {
        RnnModel model = fixture("format-7-ensemble/ensemble.zip");
        assertEquals(7, model.formatVersion());
        JsonNode expected = expected("format-7-ensemble/expected.json");
        assertEquals(List.of(42L, 1042L, 2042L), model.members().stream().map(Ensemble.Member::seed).toList());
        JsonNode members = expected.get("memberProbabilities");
        for (int i = 0; i < expected.get("sequences").size(); i++) {
            double[] probabilities = model.classify(sequence(expected.get("sequences").get(i))).probabilities();
            assertArrayEquals(vector(expected.get("probabilities").get(i)), probabilities, 1e-6, "sequence " + i);
            for (int c = 0; c < probabilities.length; c++) {
                double mean = 0;
                for (JsonNode member : members) {
                    mean += member.get(i).get(c).asDouble() / members.size();
                }
                assertEquals(mean, probabilities[c], 1e-6, "sequence " + i + " class " + c + ": the members' mean");
            }
        }
    }

    @Test
    void aFormat8ClassifierOfAllThreeCellsGivesItsOwnProbabilities() throws IOException {
        RnnModel model = fixture("format-8/classifier.zip");
        assertEquals(8, model.formatVersion());
        assertEquals(Integer.valueOf(1), model.provenance().numerics().layerThreads(), "the thread count its layers trained with");
        JsonNode expected = expected("format-8/expected.json");
        for (int i = 0; i < expected.get("sequences").size(); i++) {
            assertArrayEquals(vector(expected.get("probabilities").get(i)), model.classify(sequence(expected.get("sequences").get(i))).probabilities(),
                    1e-6, "sequence " + i);
        }
    }
}
