package io.rnnkit.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The scaler repeats DL4J's normalizer arithmetic bit for bit, on features and on reverted regression outputs. */
class ScalerTest {
    private static final int N = 7;
    private static final int FEATURES = 3;
    private static final int STEPS = 5;
    private static final int TARGETS = 2;

    /** Features [N, 3, 5] of very different scales per feature, labels [N, 2]. */
    private static DataSet data(long seed) {
        Random random = new Random(seed);
        float[] x = new float[N * FEATURES * STEPS];
        for (int i = 0; i < x.length; i++) {
            int feature = (i / STEPS) % FEATURES;
            x[i] = (float) (Math.pow(10, feature) * random.nextGaussian() + 3 * feature);
        }
        float[] y = new float[N * TARGETS];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (100 + 20 * random.nextGaussian());
        }
        return new DataSet(Nd4j.create(x, new long[]{N, FEATURES, STEPS}, 'c'), Nd4j.create(y, new long[]{N, TARGETS}, 'c'));
    }

    private static void assertSameArithmetic(DataNormalization normalizer) {
        normalizer.fitLabel(true);
        normalizer.fit(data(1));
        DataSet fresh = data(2);
        INDArray features = fresh.getFeatures();
        float[] raw = features.dup().data().asFloat();
        normalizer.transform(features);
        float[] dl4j = features.data().asFloat();
        Scaler scaler = Scaler.of(normalizer);
        float[] ours = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ours[i] = scaler.feature((i / STEPS) % FEATURES, raw[i]);
        }
        assertArrayEquals(dl4j, ours, 0f, normalizer.getClass().getSimpleName() + " features");
        assertNotEquals(raw[1], ours[1], "the features were scaled at all");

        INDArray outputs = Nd4j.rand(DataType.FLOAT, N, TARGETS).subi(0.5f);
        float[] networkOut = outputs.dup().data().asFloat();
        normalizer.revertLabels(outputs);
        float[] reverted = outputs.data().asFloat();
        for (int i = 0; i < networkOut.length; i++) {
            assertEquals(reverted[i], scaler.revertLabel(i % TARGETS, networkOut[i]), 0.0, "label " + i);
        }
    }

    @Test
    void standardizeIsRepeatedExactly() {
        assertSameArithmetic(new NormalizerStandardize());
    }

    @Test
    void minMaxIsRepeatedExactlyAlsoForAnotherTargetRange() {
        assertSameArithmetic(new NormalizerMinMaxScaler());
        assertSameArithmetic(new NormalizerMinMaxScaler(-1, 1));
    }

    @Test
    void withoutANormalizerValuesPassUnchangedAndUnscaledLabelsAreNotReverted() {
        Scaler identity = Scaler.of(null);
        assertEquals(2.5f, identity.feature(0, 2.5));
        assertEquals(-7.25, identity.revertLabel(1, -7.25f));
        NormalizerStandardize featuresOnly = new NormalizerStandardize();
        featuresOnly.fit(data(1));
        assertEquals(0.75, Scaler.of(featuresOnly).revertLabel(0, 0.75f), "labels of a classifier are never scaled");
    }
}
