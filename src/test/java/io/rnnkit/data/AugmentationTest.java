package io.rnnkit.data;

import io.rnnkit.config.AugmentationConfig;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code training.augmentation}: distortions of training minibatches, seeded, within each sequence's own steps. */
class AugmentationTest {
    private static final int N = 6;
    private static final int F = 2;
    private static final int T = 40;

    /** Six sequences of two features, the odd ones 25 steps long (padded and masked to 40). */
    private static DataSet data() {
        float[] x = new float[N * F * T];
        float[] mask = new float[N * T];
        for (int i = 0; i < N; i++) {
            int length = i % 2 == 0 ? T : 25;
            for (int t = 0; t < length; t++) {
                mask[i * T + t] = 1;
                for (int f = 0; f < F; f++) {
                    x[(i * F + f) * T + t] = (float) (Math.sin(0.3 * t + i) + f + 0.5);
                }
            }
        }
        INDArray labels = Nd4j.zeros(N, 2);
        return new DataSet(Nd4j.create(x, new long[]{N, F, T}, 'c'), labels, Nd4j.create(mask, new long[]{N, T}, 'c'), null);
    }

    private static AugmentationConfig config(double jitter, double scaling, double magnitudeWarp, double timeWarp) {
        return new AugmentationConfig(jitter, scaling, magnitudeWarp, timeWarp, 4);
    }

    private static List<INDArray> epoch(DataSet all, AugmentationConfig config, long seed, int epoch) {
        EpochIterator batches = new EpochIterator(all, 4, true, seed, config == null ? null : new Augmentation(config));
        batches.startEpoch(epoch);
        List<INDArray> out = new ArrayList<>();
        while (batches.hasNext()) {
            out.add(batches.next().getFeatures());
        }
        return out;
    }

    private static final AugmentationConfig ALL = new AugmentationConfig(0.05, 0.1, 0.2, 0.2, 4);

    @Test
    void theSameSeedAndEpochGiveTheSameDistortionsAndTheDataStaysAsItWas() {
        DataSet all = data();
        INDArray before = all.getFeatures().dup();
        List<INDArray> first = epoch(all, ALL, 42, 3);
        assertEquals(first, epoch(all, ALL, 42, 3), "seeded by (seed, epoch): a resumed run sees the same batches");
        assertNotEquals(first, epoch(all, ALL, 42, 4), "a new epoch draws new distortions");
        assertNotEquals(first, epoch(all, ALL, 7, 3), "another seed, other distortions");
        assertEquals(before, all.getFeatures(), "the training split itself is never changed (its metrics read it as it is)");
        assertEquals(epoch(all, config(0, 0, 0, 0), 42, 3), epoch(all, null, 42, 3), "all 0: the batches as they were");
        assertNotEquals(epoch(all, null, 42, 3), first);
    }

    /** Every distortion of one sequence, in its own steps: the padding after them stays 0. */
    private static INDArray distort(AugmentationConfig config, long seed) {
        DataSet all = data();
        return new Augmentation(config).apply(all.getFeatures(), all.getFeaturesMaskArray(), new Random(seed));
    }

    @Test
    void paddingStaysZeroAndShapesAreKept() {
        INDArray out = distort(ALL, 1);
        assertEquals(List.of((long) N, (long) F, (long) T), List.of(out.size(0), out.size(1), out.size(2)));
        for (int i = 1; i < N; i += 2) {
            for (int t = 25; t < T; t++) {
                for (int f = 0; f < F; f++) {
                    assertEquals(0f, out.getFloat(i, f, t), "sequence " + i + " step " + t);
                }
            }
            assertNotEquals(0f, out.getFloat(i, 0, 24));
        }
    }

    @Test
    void scalingMultipliesEachFeatureOfASequenceByOneFactor() {
        INDArray in = data().getFeatures();
        INDArray out = distort(config(0, 0.3, 0, 0), 2);
        double spread = 0;
        for (int i = 0; i < N; i++) {
            for (int f = 0; f < F; f++) {
                double factor = out.getDouble(i, f, 0) / in.getDouble(i, f, 0);
                for (int t = 1; t < 25; t++) {
                    assertEquals(factor, out.getDouble(i, f, t) / in.getDouble(i, f, t), 1e-4);
                }
                spread = Math.max(spread, Math.abs(factor - 1));
            }
        }
        assertTrue(spread > 0.05, "factors around 1 with sd 0.3, largest distance " + spread);
    }

    @Test
    void timeWarpingKeepsEachSequencesStartAndEndAndItsRange() {
        INDArray in = data().getFeatures();
        INDArray out = distort(config(0, 0, 0, 0.3), 3);
        assertNotEquals(in, out);
        for (int i = 0; i < N; i++) {
            int last = i % 2 == 0 ? T - 1 : 24;
            for (int f = 0; f < F; f++) {
                assertEquals(in.getDouble(i, f, 0), out.getDouble(i, f, 0), 1e-6);
                assertEquals(in.getDouble(i, f, last), out.getDouble(i, f, last), 1e-5);
                double low = Double.MAX_VALUE;
                double high = -Double.MAX_VALUE;
                for (int t = 0; t <= last; t++) {
                    low = Math.min(low, in.getDouble(i, f, t));
                    high = Math.max(high, in.getDouble(i, f, t));
                }
                for (int t = 0; t <= last; t++) {
                    double v = out.getDouble(i, f, t);
                    assertTrue(v >= low - 1e-6 && v <= high + 1e-6, "interpolated between the sequence's own values");
                }
            }
        }
    }

    @Test
    void jitterAddsNoiseOfTheGivenSpread() {
        INDArray in = data().getFeatures();
        INDArray out = distort(config(0.1, 0, 0, 0), 4);
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int i = 0; i < N; i += 2) {
            for (int f = 0; f < F; f++) {
                for (int t = 0; t < T; t++) {
                    double d = out.getDouble(i, f, t) - in.getDouble(i, f, t);
                    sum += d;
                    squares += d * d;
                    count++;
                }
            }
        }
        double mean = sum / count;
        double sd = Math.sqrt(squares / count - mean * mean);
        assertEquals(0, mean, 0.03);
        assertEquals(0.1, sd, 0.02);
    }

    @Test
    void distortionsThatWouldContradictTheLabelsAreRefusedAtLoad() {
        List<String> regression = Yaml.problems(Yaml.MINIMAL.replace("generator: {", "generator: {kind: adding, ")
                .replace("training: {epochs: 1}", "task: {topology: many-to-one, kind: regression}\ntraining: {epochs: 1}"),
                "training.augmentation.scaling=0.1");
        assertTrue(regression.stream().anyMatch(p -> p.contains("training.augmentation: a regression target follows the inputs'")),
                regression.toString());
        List<String> perStep = Yaml.problems(Yaml.MINIMAL.replace("generator: {", "generator: {kind: shift-detection, ")
                .replace("training: {epochs: 1}", "task: {topology: many-to-many, kind: classification}\ntraining: {epochs: 1}"),
                "training.augmentation.timeWarp=0.1");
        assertTrue(perStep.stream().anyMatch(p -> p.contains("training.augmentation.timeWarp: moves values in time")), perStep.toString());
        assertTrue(Yaml.problems(Yaml.MINIMAL, "training.augmentation.knots=0").stream().anyMatch(p -> p.contains("training.augmentation.knots")));
        assertTrue(Yaml.problems(Yaml.MINIMAL, "training.augmentation.jitter=-0.1").stream().anyMatch(p -> p.contains("training.augmentation.jitter")));
        // jitter alone keeps a regression target true
        Yaml.load(Yaml.MINIMAL.replace("generator: {", "generator: {kind: adding, ")
                .replace("training: {epochs: 1}", "task: {topology: many-to-one, kind: regression}\ntraining: {epochs: 1}"),
                "training.augmentation.jitter=0.1");
    }
}
