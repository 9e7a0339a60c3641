package io.rnnkit.train;

import io.rnnkit.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped configs for UEA/UCR archive files, read as published ({@code .ts} and {@code .arff}), learn to the
 * archive's published standards: BasicMotions test accuracy ≥ 0.95 from either format (1-NN DTW 0.975–1.00),
 * JapaneseVowels ≥ 0.95 (1-NN DTW 0.95–0.96), ArrowHead ≥ 0.75 (1-NN Euclidean 0.80, full-window DTW 0.70). The
 * epoch is chosen on a validation part of the training file (ArrowHead: all epochs, no choice); the test file is
 * touched once.
 */
@Tag("learning")
class ArchiveDataTest {
    @TempDir
    Path dir;

    private double testAccuracy(String config) {
        return RealDataTest.train(config, dir).metrics().get("test").get("accuracy");
    }

    @Test
    void basicMotionsFromTheTsFiles() {
        TestData.require("uea_ts/BasicMotions_TRAIN.ts");
        double accuracy = testAccuracy("basicmotions-ts-lstm.yaml");
        assertTrue(accuracy >= 0.95, "BasicMotions (.ts) test accuracy " + accuracy + " < 0.95");
    }

    @Test
    void basicMotionsFromTheArffFiles() {
        TestData.require("uea_ts/BasicMotions_TRAIN.arff");
        double accuracy = testAccuracy("basicmotions-arff-lstm.yaml");
        assertTrue(accuracy >= 0.95, "BasicMotions (.arff) test accuracy " + accuracy + " < 0.95");
    }

    @Test
    void japaneseVowelsOfUnequalLengths() {
        TestData.require("uea_ts/JapaneseVowels_TRAIN.ts");
        double accuracy = testAccuracy("japanese-vowels-lstm.yaml");
        assertTrue(accuracy >= 0.95, "JapaneseVowels test accuracy " + accuracy + " < 0.95");
    }

    @Test
    void arrowHeadFromThirtySixCasesWithAugmentation() {
        TestData.require("uea_ts/ArrowHead_TRAIN.ts");
        double accuracy = testAccuracy("arrowhead-gru.yaml");
        assertTrue(accuracy >= 0.75, "ArrowHead test accuracy " + accuracy + " < 0.75");
    }
}
