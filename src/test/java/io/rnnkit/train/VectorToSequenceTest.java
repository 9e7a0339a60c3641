package io.rnnkit.train;

import io.rnnkit.bundle.FeatureCountException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.bundle.UnsupportedByModelException;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SyntheticControl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-to-many, vector → sequence (configs/chart-synthesis-lstm.yaml): control charts drawn from a vector of
 * their class and pattern parameters. The charts a trained model draws are judged by a recognizer that knows
 * nothing of the network, only the statistics that tell the six patterns apart (flatness, swings across the
 * mean, a line against a single step), and that is itself checked on the true charts.
 */
@Tag("learning")
public class VectorToSequenceTest {
    @TempDir
    static Path dir;
    static ExperimentRunner.RunResult run;
    static RnnModel model;
    static List<double[]> vectors;

    @BeforeAll
    static void train() {
        run = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/chart-synthesis-lstm.yaml"), List.of()), dir.resolve("run"),
                TrainingProgress.SILENT);
        model = RnnModel.load(run.directory().resolve("model.zip"));
        SequenceSet test = run.data().test();
        vectors = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            vectors.add(test.sequence(i)[0]);
        }
        System.out.println("chart synthesis: best epoch " + run.training().bestEpoch() + ", test " + run.metrics().get("test").values());
    }

    @Test
    void drawnChartsAreFarCloserToTheTruthThanTheBestChartThatIgnoresTheVector() {
        // the per-step mean of the training charts is the best a model deaf to its input can answer (in squared error)
        SequenceSet train = run.data().train();
        int steps = train.sequence(0).length;
        double[] mean = new double[steps];
        for (int i = 0; i < train.size(); i++) {
            for (int t = 0; t < steps; t++) {
                mean[t] += train.targetAt(i, t)[0] / train.size();
            }
        }
        SequenceSet test = run.data().test();
        double blind = 0;
        for (int i = 0; i < test.size(); i++) {
            for (int t = 0; t < steps; t++) {
                blind += Math.abs(mean[t] - test.targetAt(i, t)[0]) / (test.size() * steps);
            }
        }
        double mae = run.metrics().get("test").get("mae");
        System.out.println("chart synthesis test MAE " + mae + " vs the input-blind mean chart " + blind);
        assertTrue(mae < 0.3 * blind, "test MAE " + mae + " is not under 0.3 × the input-blind mean chart's " + blind);
    }

    @Test
    void theRecognizerKnowsEveryTrueChart() {
        for (double[] vector : vectors) {
            for (int c = 0; c < SyntheticControl.CLASSES.size(); c++) {
                double[] asked = as(vector, c);
                assertEquals(c, recognize(SyntheticControl.drawn(asked, 60)), "true chart of class " + c + " " + Arrays.toString(asked));
            }
        }
    }

    /**
     * Every test vector is asked for under each of the six classes (its parameters kept), so each pattern is
     * requested 90 times, and the drawn chart must be recognized as the class asked for.
     */
    @Test
    void drawnChartsAreOfTheRequestedClass() {
        int k = SyntheticControl.CLASSES.size();
        int[][] confusion = new int[k][k];
        for (int c = 0; c < k; c++) {
            int asked = c;
            List<double[][]> drawn = model.generate(vectors.stream().map(v -> as(v, asked)).toList());
            for (double[][] chart : drawn) {
                confusion[c][recognize(Arrays.stream(chart).mapToDouble(step -> step[0]).toArray())]++;
            }
        }
        System.out.println("requested class (rows) against recognized class (columns): " + Arrays.deepToString(confusion));
        int right = 0;
        for (int c = 0; c < k; c++) {
            right += confusion[c][c];
            double recall = (double) confusion[c][c] / vectors.size();
            assertTrue(recall >= 0.8, SyntheticControl.CLASSES.get(c) + ": only " + recall + " of the charts asked for are recognized as it");
        }
        double agreement = (double) right / (k * vectors.size());
        assertTrue(agreement >= 0.9, "only " + agreement + " of the drawn charts are of the requested class");
    }

    @Test
    void theBundleDrawsWhatTheEvaluatorScored() {
        SequenceSet test = run.data().test();
        List<double[][]> batch = model.generate(vectors);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < test.size(); i++) {
            double[][] one = model.generate(vectors.get(i));
            assertEquals(60, one.length);
            assertArrayEquals(one[17], batch.get(i)[17], 1e-4, "single and batch agree (float arithmetic in another order)");
            for (int t = 0; t < one.length; t++) {
                sum += Math.abs(one[t][0] - test.targetAt(i, t)[0]);
                count++;
            }
        }
        double mae = run.metrics().get("test").get("mae");
        assertEquals(mae, sum / count, 1e-4 * mae, "RnnModel.generate reproduces the test MAE");
        assertEquals(SyntheticControl.SYNTHESIS_FEATURES, model.contract().featureNames());
        assertTrue(model.contract().isVectorToSequence());
        FeatureCountException wrong = assertThrows(FeatureCountException.class, () -> model.generate(new double[]{1, 0, 0}));
        assertTrue(wrong.getMessage().contains("the vector has 3 value(s), but the model reads 11"), wrong.getMessage());
        assertThrows(UnsupportedByModelException.class, () -> model.predict(new double[][]{vectors.get(0)}));
        assertThrows(UnsupportedByModelException.class, () -> model.generate("a", 5, 1.0));
    }

    @Test
    void theCommandLineDrawsFromVectors() throws IOException {
        Path input = Files.writeString(dir.resolve("vectors.csv"), vectors.subList(0, 2).stream()
                .map(v -> Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.17g", x)).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n", "", "\n")));
        Path output = dir.resolve("charts.csv");
        String bundle = run.directory().resolve("model.zip").toString();
        CliTest.Outcome predicted = CliTest.rnnkit("predict", "--model", bundle, "--input", input.toString(), "--output", output.toString());
        assertEquals(0, predicted.code(), predicted.err());
        List<String> lines = Files.readAllLines(output);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("line,value_1,value_2,") && lines.get(0).endsWith(",value_60"), lines.get(0));
        double[] row = Arrays.stream(lines.get(2).split(",")).skip(1).mapToDouble(Double::parseDouble).toArray();
        double[][] expected = model.generate(vectors.get(1));
        assertEquals(60, row.length);
        for (int t = 0; t < 60; t++) {
            assertEquals(expected[t][0], row[t], 1e-4);
        }

        String vector = Arrays.stream(vectors.get(1)).mapToObj(x -> String.format(Locale.ROOT, "%.17g", x)).collect(Collectors.joining(","));
        CliTest.Outcome generated = CliTest.rnnkit("generate", "--model", bundle, "--vector", vector);
        assertEquals(0, generated.code(), generated.err());
        List<String> steps = generated.out().lines().toList();
        assertEquals("step,value", steps.get(0));
        assertEquals(expected[59][0], Double.parseDouble(steps.get(60).split(",")[1]), 1e-4);

        CliTest.Outcome bad = CliTest.rnnkit("generate", "--model", bundle, "--vector", "1,2,3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("the vector has 3 value(s)"), bad.err());
    }

    /** The vector with its class set to {@code kind} (one-hot), its parameters kept. */
    private static double[] as(double[] vector, int kind) {
        double[] out = vector.clone();
        for (int c = 0; c < SyntheticControl.CLASSES.size(); c++) {
            out[c] = c == kind ? 1 : 0;
        }
        return out;
    }

    /**
     * The pattern of a chart from its statistics alone, in the order of {@link SyntheticControl#CLASSES}: flat
     * (range under 4) is normal; four or more swings between the upper and lower quarter of the range around
     * the mean are cyclic; otherwise a single step that fits better than a straight line is a shift, else a
     * trend, up or down by the sign of the step or the slope. The ranges of the patterns keep these apart on
     * noise-free charts: trends rise at least 0.2 × 59 ≈ 12, shifts at least 7.5, cycles at least 10 either way.
     */
    public static int recognize(double[] y) {
        int n = y.length;
        double min = Arrays.stream(y).min().orElseThrow();
        double max = Arrays.stream(y).max().orElseThrow();
        double range = max - min;
        if (range < 4) {
            return 0;
        }
        double mean = Arrays.stream(y).average().orElseThrow();
        int swings = 0;
        int side = 0;
        for (double v : y) {
            int now = v > mean + range / 4 ? 1 : v < mean - range / 4 ? -1 : 0;
            if (now != 0 && now != side) {
                swings += side != 0 ? 1 : 0;
                side = now;
            }
        }
        if (swings >= 4) {
            return 1;
        }
        // least-squares line over t = 0 … n−1
        double tMean = (n - 1) / 2.0;
        double sxy = 0;
        double sxx = 0;
        for (int t = 0; t < n; t++) {
            sxy += (t - tMean) * (y[t] - mean);
            sxx += (t - tMean) * (t - tMean);
        }
        double slope = sxy / sxx;
        double lineError = 0;
        for (int t = 0; t < n; t++) {
            double d = y[t] - (mean + slope * (t - tMean));
            lineError += d * d;
        }
        // best single step: the two means of y[0..k) and y[k..n)
        double stepError = Double.MAX_VALUE;
        double stepHeight = 0;
        for (int k = 2; k <= n - 2; k++) {
            double before = Arrays.stream(y, 0, k).average().orElseThrow();
            double after = Arrays.stream(y, k, n).average().orElseThrow();
            double error = 0;
            for (int t = 0; t < n; t++) {
                double d = y[t] - (t < k ? before : after);
                error += d * d;
            }
            if (error < stepError) {
                stepError = error;
                stepHeight = after - before;
            }
        }
        if (stepError < lineError) {
            return stepHeight > 0 ? 4 : 5;
        }
        return slope > 0 ? 2 : 3;
    }
}
