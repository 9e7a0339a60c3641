package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.Tensors;
import io.rnnkit.train.ExperimentRunner;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API on models of every kind this rnnkit trains: same numbers as training, in the data's units, typed refusals. */
class RnnModelTest {
    /**
     * What DL4J alone computes for a split, a check independent of rnnkit's inference path: the trained network on
     * the tensors the training code builds, normalized and reverted by DL4J's own normalizer (read back from the
     * bundle; its statistics are the fitted ones), the split in one call.
     */
    static float[][] trainingOutputs(ExperimentRunner.RunResult run, SequenceSet raw) {
        DataNormalization normalizer = Bundle.read(run.directory().resolve("model.zip")).normalizer();
        DataSet data = Tensors.dataSet(raw, run.data().outputs());
        normalizer.transform(data);
        INDArray out = run.training().network().output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        if (!raw.isClassification()) {
            normalizer.revertLabels(out);
        }
        return out.toFloatMatrix();
    }

    static void assertClose(float[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tolerance, what + "[" + k + "]");
        }
    }

    @Test
    void classifyGivesTheTrainingNetworksProbabilitiesForRawSequences() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        RnnModel model = RnnModel.load(trained.bundle());
        SequenceSet test = trained.run().data().test();
        float[][] expected = trainingOutputs(trained.run(), test);
        List<Classification> batch = model.classify(TrainedModels.sequences(test));
        for (int i = 0; i < test.size(); i++) {
            Classification one = model.classify(test.sequence(i));
            assertClose(expected[i], one.probabilities(), 1e-6, "sequence " + i);
            assertArrayEquals(one.probabilities(), batch.get(i).probabilities(), 1e-6, "batch and single agree on " + i);
            int best = 0;
            for (int c = 1; c < expected[i].length; c++) {
                best = expected[i][c] > expected[i][best] ? c : best;
            }
            assertEquals(trained.run().data().classes().get(best), one.label());
            assertEquals(1.0, Arrays.stream(one.probabilities()).sum(), 1e-5);
            assertEquals(one.probabilities()[best], one.probability(one.label()));
        }
        assertEquals(trained.run().data().classes(), model.contract().classes());
        assertEquals(Bundle.FORMAT_VERSION, model.formatVersion());
        assertEquals(trained.run().data().fingerprint(), model.provenance().dataFingerprint());
        assertEquals("t", model.config().name());
    }

    @Test
    void variableLengthBatchesAreMaskedSoEachSequenceGetsItsOwnAnswer() {
        TrainedModels.Trained trained = TrainedModels.variableLengthClassifier();
        RnnModel model = RnnModel.load(trained.bundle());
        assertFalse(model.contract().fixedLength());
        assertEquals(List.of("x1", "x2"), model.contract().featureNames());
        List<double[][]> all = new ArrayList<>(TrainedModels.sequences(trained.run().data().train()));
        all.addAll(TrainedModels.sequences(trained.run().data().test()));
        assertNotEquals(all.get(0).length, all.get(1).length, "the batch mixes lengths");
        float[][] expected = trainingOutputs(trained.run(), trained.run().data().train());
        List<Classification> batch = model.classify(all);
        for (int i = 0; i < all.size(); i++) {
            double[] single = model.classify(all.get(i)).probabilities();
            assertArrayEquals(single, batch.get(i).probabilities(), 1e-6, "sequence " + i + " of length " + all.get(i).length);
            if (i < expected.length) {
                assertClose(expected[i], single, 1e-6, "training output of sequence " + i);
            }
        }
        double[][] longer = new double[40][2];
        assertEquals(2, model.classify(longer).probabilities().length, "a variable-length model takes lengths it never saw");
    }

    @Test
    void aStreamsOutputAfterEachStepIsTheClassificationOfThePrefix() {
        RnnModel model = RnnModel.load(TrainedModels.variableLengthClassifier().bundle());
        double[][] sequence = TrainedModels.variableLengthClassifier().run().data().test().sequence(0);
        ModelStream stream = model.openStream();
        for (int t = 0; t < sequence.length; t++) {
            double[] out = stream.step(sequence[t]);
            double[] prefix = model.classify(Arrays.copyOf(sequence, t + 1)).probabilities();
            assertArrayEquals(prefix, out, 1e-6, "after step " + t);
        }
        assertEquals(sequence.length, stream.steps());
        stream.reset();
        assertEquals(0, stream.steps());
        assertArrayEquals(model.classify(Arrays.copyOf(sequence, 1)).probabilities(), stream.step(sequence[0]), 1e-6,
                "after reset the stream starts a new sequence");
    }

    @Test
    void aFixedLengthClassifierStreamsToTheSameAnswer() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        RnnModel model = RnnModel.load(trained.bundle());
        double[][] sequence = trained.run().data().test().sequence(1);
        ModelStream stream = model.openStream();
        double[] last = null;
        for (double[] step : sequence) {
            last = stream.step(step);
        }
        assertArrayEquals(model.classify(sequence).probabilities(), last, 1e-6);
    }

    @Test
    void predictAndForecastAnswerInTheUnitsOfTheData() {
        TrainedModels.Trained trained = TrainedModels.forecaster();
        RnnModel model = RnnModel.load(trained.bundle());
        InputContract c = model.contract();
        assertEquals(List.of("value"), c.featureNames());
        assertEquals(new InputContract.Forecasting(8, 2, "value", 0, io.rnnkit.config.ForecastStrategy.DIRECT), c.forecast());
        assertEquals(List.of("t+1", "t+2"), c.classes());
        assertTrue(c.fixedLength());
        SequenceSet test = trained.run().data().test();
        float[][] expected = trainingOutputs(trained.run(), test);
        List<double[]> batch = model.predict(TrainedModels.sequences(test));
        double error = 0;
        for (int i = 0; i < test.size(); i++) {
            assertClose(expected[i], model.predict(test.sequence(i)), 1e-5, "window " + i);
            assertArrayEquals(model.predict(test.sequence(i)), batch.get(i), 1e-9);
            error += Math.abs(batch.get(i)[0] - test.target(i)[0]);
        }
        assertEquals(trained.run().metrics().get("test").get("mae"), (error + sumSecondStepErrors(batch, test)) / (2.0 * test.size()), 1e-4,
                "the outputs are in the data's units: their error is the run's test MAE");
        double[][] history = new double[30][];
        for (int t = 0; t < 30; t++) {
            history[t] = new double[]{20 + t % 5};
        }
        assertArrayEquals(model.predict(Arrays.copyOfRange(history, 22, 30)), model.forecast(history, 2), 1e-9,
                "a forecast reads the last lookback steps of a longer history");
        assertArrayEquals(new double[]{model.predict(Arrays.copyOfRange(history, 22, 30))[0]}, model.forecast(history, 1), 1e-9);
        ModelStream stream = model.openStream();
        double[] streamed = null;
        for (double[] step : test.sequence(0)) {
            streamed = stream.step(step);
        }
        assertArrayEquals(model.predict(test.sequence(0)), streamed, 1e-5, "a regression stream answers in the data's units too");
    }

    private static double sumSecondStepErrors(List<double[]> predicted, SequenceSet test) {
        double sum = 0;
        for (int i = 0; i < test.size(); i++) {
            sum += Math.abs(predicted.get(i)[1] - test.target(i)[1]);
        }
        return sum;
    }

    @Test
    void forecastsBeyondTheTrainedHorizonFeedTheirValuesBack() {
        RnnModel model = RnnModel.load(TrainedModels.forecaster().bundle());
        double[][] history = TrainedModels.forecaster().run().data().test().sequence(0);
        double[] five = model.forecast(history, 5);
        double[][] window = history.clone();
        double[] expected = new double[5];
        for (int done = 0; done < 5; done += 2) {
            double[] next = model.predict(window);
            for (int k = 0; k < 2 && done + k < 5; k++) {
                expected[done + k] = next[k];
            }
            double[][] moved = new double[8][];
            System.arraycopy(window, 2, moved, 0, 6);
            moved[6] = new double[]{next[0]};
            moved[7] = new double[]{next[1]};
            window = moved;
        }
        assertArrayEquals(expected, five, 1e-9);
        List<double[]> both = model.forecast(List.of(history, history), 5);
        assertArrayEquals(five, both.get(0), 1e-9);
        assertArrayEquals(five, both.get(1), 1e-9);
    }

    @Test
    void aForecasterOfSeveralColumnsForecastsDirectlyButCannotRecurse() {
        RnnModel model = RnnModel.load(TrainedModels.twoColumnForecaster().bundle());
        assertEquals(List.of("value", "other"), model.contract().featureNames());
        double[][] history = TrainedModels.twoColumnForecaster().run().data().test().sequence(0);
        assertArrayEquals(model.predict(history), model.forecast(history, 2), 1e-9);
        UnsupportedByModelException e = assertThrows(UnsupportedByModelException.class, () -> model.forecast(history, 3));
        assertEquals("a forecast of 3 steps goes beyond the trained horizon of 2 and would have to feed forecasts back as input,"
                + " but this model reads 2 columns [value, other] and forecasts only 'value'; ask for at most 2 steps", e.getMessage());
        float[][] expected = trainingOutputs(TrainedModels.twoColumnForecaster().run(), TrainedModels.twoColumnForecaster().run().data().test());
        assertClose(expected[0], model.predict(history), 1e-5, "min-max scaling is reverted");
    }

    @Test
    void inputTheModelCannotTakeIsRefusedWithTypedExceptions() {
        RnnModel model = RnnModel.load(TrainedModels.classifier().bundle());
        double[][] good = TrainedModels.classifier().run().data().test().sequence(0);

        SequenceLengthException shorter = assertThrows(SequenceLengthException.class, () -> model.classify(Arrays.copyOf(good, 11)));
        assertEquals("the sequence has 11 steps, but the model takes exactly 12 (it was trained on sequences of that one length)",
                shorter.getMessage());
        assertEquals("the sequence is empty; the model takes exactly 12 steps",
                assertThrows(SequenceLengthException.class, () -> model.classify(new double[0][])).getMessage());
        assertThrows(SequenceLengthException.class, () -> model.classify((double[][]) null));

        double[][] wide = good.clone();
        wide[3] = new double[]{1, 2};
        assertEquals("step 3 has 2 value(s), but the model reads 1 per step [x1]",
                assertThrows(FeatureCountException.class, () -> model.classify(wide)).getMessage());

        double[][] missing = good.clone();
        missing[5] = new double[]{Double.NaN};
        NonFiniteInputException nan = assertThrows(NonFiniteInputException.class, () -> model.classify(missing));
        assertEquals("step 5, feature x1: NaN; the model needs finite values (fill in missing values before calling it)", nan.getMessage());
        assertEquals(-1, nan.sequenceIndex());

        ModelInputException inBatch = assertThrows(NonFiniteInputException.class, () -> model.classify(List.of(good, good, missing)));
        assertEquals(2, inBatch.sequenceIndex());
        assertTrue(inBatch.getMessage().startsWith("sequence 2: step 5, feature x1: NaN"), inBatch.getMessage());
        assertTrue(inBatch instanceof io.rnnkit.BadInputException, "the command line maps it to exit 2");

        UnknownSymbolException unknown = new UnknownSymbolException(3, "ž", 7);
        assertEquals("sequence 3: symbol 'ž' at position 7 is not in the model's vocabulary", unknown.getMessage());
        assertTrue(unknown instanceof ModelInputException && unknown.symbol().equals("ž") && unknown.position() == 7);

        ModelStream stream = model.openStream();
        stream.step(good[0]);
        assertEquals("step 1 has 3 value(s), but the model reads 1 per step [x1]",
                assertThrows(FeatureCountException.class, () -> stream.step(1, 2, 3)).getMessage());
        assertThrows(NonFiniteInputException.class, () -> stream.step(Double.POSITIVE_INFINITY));
        assertEquals(1, stream.steps(), "a refused step leaves the stream as it was");
    }

    @Test
    void operationsTheModelCannotPerformSayWhatItIs() {
        RnnModel classifier = RnnModel.load(TrainedModels.classifier().bundle());
        RnnModel forecaster = RnnModel.load(TrainedModels.forecaster().bundle());
        double[][] sequence = new double[12][1];
        assertEquals("predict() needs a regression model; this is a many-to-one classification model (classifier): use classify()",
                assertThrows(UnsupportedByModelException.class, () -> classifier.predict(sequence)).getMessage());
        assertEquals("classify() needs a classification model; this is a many-to-one regression model (direct forecaster): use predict()",
                assertThrows(UnsupportedByModelException.class, () -> forecaster.classify(new double[8][1])).getMessage());
        assertEquals("forecast() needs a model trained on windows of a series (data.format: series); this is a many-to-one"
                + " classification model (classifier): use classify()", assertThrows(UnsupportedByModelException.class,
                () -> classifier.forecast(sequence, 1)).getMessage());
        assertEquals("generate(String, ...) needs a text-generation model; this is a many-to-one classification model (classifier), which classifies"
                + " sequences: use classify()", assertThrows(UnsupportedByModelException.class,
                () -> classifier.generate("seed", 10, 1.0)).getMessage());
        assertEquals("classify(String) needs a text classifier (data.format: text, task.topology: many-to-one); this is a many-to-one"
                + " classification model (classifier) of generated data: use classify(double[][])", assertThrows(UnsupportedByModelException.class,
                () -> classifier.classify("some text")).getMessage());
        assertTrue(assertThrows(UnsupportedByModelException.class, () -> classifier.generate(new double[]{1})).getMessage()
                .startsWith("generate(double[]) needs a vector-to-sequence model"));
        assertTrue(assertThrows(UnsupportedByModelException.class, () -> forecaster.generate("", 1, 1.0)).getMessage()
                .contains("many-to-one regression model (direct forecaster)"));
        assertEquals("classifySteps() needs a model that answers at every step (task.topology: many-to-many); this is a many-to-one"
                + " classification model (classifier): use classify()", assertThrows(UnsupportedByModelException.class,
                () -> classifier.classifySteps(sequence)).getMessage());
        assertEquals("the horizon must be at least 1 step, got 0",
                assertThrows(ModelInputException.class, () -> forecaster.forecast(new double[8][1], 0)).getMessage());
        assertEquals("the history has 5 steps, but the model forecasts from the last 8 (data.window.lookback)",
                assertThrows(SequenceLengthException.class, () -> forecaster.forecast(new double[5][1], 1)).getMessage());
    }

    @Test
    void bidirectionalModelsClassifyButRefuseToStream() {
        TrainedModels.Trained trained = TrainedModels.bidirectionalClassifier();
        RnnModel model = RnnModel.load(trained.bundle());
        assertFalse(model.canStream());
        UnsupportedByModelException e = assertThrows(UnsupportedByModelException.class, model::openStream);
        assertEquals("this many-to-one classification model (classifier) cannot be streamed: layer 0 is bidirectional: its backward pass reads"
                + " the sequence from the end, so it has no output until the whole sequence is known; pass whole sequences to"
                + " classify() instead", e.getMessage());
        SequenceSet test = trained.run().data().test();
        assertClose(trainingOutputs(trained.run(), test)[0], model.classify(test.sequence(0)).probabilities(), 1e-6, "bidirectional");
        assertTrue(RnnModel.load(TrainedModels.classifier().bundle()).canStream());
    }

    @Test
    void aBundleLoadsFromAStreamAsFromAFile() throws IOException {
        TrainedModels.Trained trained = TrainedModels.classifier();
        RnnModel fromFile = RnnModel.load(trained.bundle());
        RnnModel fromStream;
        try (InputStream in = Files.newInputStream(trained.bundle())) {
            fromStream = RnnModel.load(in);
        }
        double[][] sequence = trained.run().data().test().sequence(2);
        assertEquals(fromFile.classify(sequence), fromStream.classify(sequence));
        assertEquals(fromFile.contract(), fromStream.contract());
        assertEquals(fromFile.provenance(), fromStream.provenance());
        byte[] garbage = "not a zip".getBytes();
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class,
                () -> RnnModel.load(new java.io.ByteArrayInputStream(garbage)));
        assertTrue(e.getMessage().startsWith("bundle stream: not a bundle"), e.getMessage());
    }
}
