package io.rnnkit.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The closed-form CRPS of a Gaussian forecast against its definition, the integral of (F(x) − 1{x ≥ y})². */
class GaussianCrpsTest {
    private static final org.apache.commons.math3.distribution.NormalDistribution N = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);

    private static double integrated(double y, double mu, double sigma) {
        double sum = 0;
        double dx = 1e-3 * sigma;
        for (double x = mu - 12 * sigma; x < mu + 12 * sigma; x += dx) {
            double f = N.cumulativeProbability((x + dx / 2 - mu) / sigma) - (x + dx / 2 >= y ? 1 : 0);
            sum += f * f * dx;
        }
        return sum;
    }

    @Test
    void closedFormMatchesTheIntegral() {
        assertEquals(2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), Evaluator.gaussianCrps(0, 0, 1), 1e-12);
        for (double[] c : new double[][]{{0, 0, 1}, {2.5, 1, 0.5}, {-3, 4, 2}}) {
            assertEquals(integrated(c[0], c[1], c[2]), Evaluator.gaussianCrps(c[0], c[1], c[2]), 1e-4);
        }
    }
}
