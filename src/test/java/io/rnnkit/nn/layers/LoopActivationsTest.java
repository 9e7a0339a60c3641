package io.rnnkit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-loop tanh and sigmoid against the JDK's tanh and a direct sigmoid, over the whole range. */
class LoopActivationsTest {

    private static final double[] EDGES = {0.0, -0.0, 1e-300, -1e-300, 1e-9, -1e-9, 0.5, -0.5, 20, -20, 40, -40,
            710, -710, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE};

    @Test
    void tanhAgreesWithTheJdkToAFewUlpsOfOne() {
        for (double x : EDGES) {
            assertEquals(Math.tanh(x), LoopActivations.tanh(x), 1e-15, "tanh(" + x + ")");
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double x = random.nextDouble(-30, 30);
            assertEquals(Math.tanh(x), LoopActivations.tanh(x), 1e-15, "tanh(" + x + ")");
        }
    }

    @Test
    void sigmoidAgreesWithTheDefinitionAndNeverOverflows() {
        for (double x : EDGES) {
            double expected = x >= 0 ? 1.0 / (1.0 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1.0 + StrictMath.exp(x));
            assertEquals(expected, LoopActivations.sigmoid(x), 1e-15, "sigmoid(" + x + ")");
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double x = random.nextDouble(-40, 40);
            assertEquals(0.5 * (1.0 + Math.tanh(x / 2)), LoopActivations.sigmoid(x), 2e-16 * 4, "sigmoid(" + x + ")");
        }
    }
}
