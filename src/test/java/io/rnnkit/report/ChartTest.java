package io.rnnkit.report;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A long line is drawn from at most four points a pixel column, and looks the same as drawn from all of them. */
class ChartTest {
    private static final int PLOT_W = 680;

    private static Chart.Series noisySine(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = Math.sin(i * 20.0 / n) + 0.3 * random.nextGaussian() + (i == n / 3 ? 9 : 0); // one spike
        }
        y[n / 2] = Double.NaN; // a gap
        return new Chart.Series("y", x, y);
    }

    @Test
    void aShortLineIsDrawnWhole() {
        assertNull(new Chart("t", "x", "y").thinned(noisySine(Chart.THIN_ABOVE * PLOT_W, 1), 0, Chart.THIN_ABOVE * PLOT_W - 1, PLOT_W));
    }

    @Test
    void aLongLineKeepsEachColumnsFirstLowestHighestAndLast() {
        int n = 200_000;
        Chart.Series s = noisySine(n, 2);
        boolean[] drawn = new Chart("t", "x", "y").thinned(s, 0, n - 1, PLOT_W);
        int kept = 0;
        for (boolean d : drawn) {
            kept += d ? 1 : 0;
        }
        assertTrue(kept <= 4 * (PLOT_W + 2) && kept >= 2 * PLOT_W, kept + " points drawn of " + n);
        assertTrue(drawn[n / 3], "the spike is drawn");
        assertTrue(!drawn[n / 2] && drawn[n / 2 - 1] && drawn[n / 2 + 1], "the points either side of the gap end and start a run");
        // every column's extremes, from a plain scan
        double[] lo = new double[PLOT_W + 1], hi = new double[PLOT_W + 1];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int c = (int) Math.floor(s.x()[i] / (n - 1) * PLOT_W);
            if (Double.isFinite(s.y()[i])) {
                lo[c] = Math.min(lo[c], s.y()[i]);
                hi[c] = Math.max(hi[c], s.y()[i]);
            }
        }
        double[] drawnLo = lo.clone(), drawnHi = hi.clone();
        java.util.Arrays.fill(drawnLo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(drawnHi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            if (drawn[i]) {
                int c = (int) Math.floor(s.x()[i] / (n - 1) * PLOT_W);
                drawnLo[c] = Math.min(drawnLo[c], s.y()[i]);
                drawnHi[c] = Math.max(drawnHi[c], s.y()[i]);
            }
        }
        assertEquals(java.util.Arrays.toString(lo), java.util.Arrays.toString(drawnLo));
        assertEquals(java.util.Arrays.toString(hi), java.util.Arrays.toString(drawnHi));
    }

    @Test
    void theThinnedLineLooksLikeTheWholeOne() {
        // the same points drawn thinned and whole: they differ only in anti-aliased pixels where the stroke joins a
        // column's kept points instead of all of them
        int n = 40_000;
        Chart.Series s = noisySine(n, 3);
        Chart thin = new Chart("t", "x", "y").add(s);
        assertTrue(thin.thinned(s, 0, n - 1, PLOT_W) != null, "40,000 points over 680 columns are thinned");
        BufferedImage thinned = thin.render();
        BufferedImage whole = new Chart("t", "x", "y").add(s).thinAbove(Integer.MAX_VALUE).render();
        double share = differing(thinned, whole) / (double) (whole.getWidth() * whole.getHeight());
        assertTrue(share < 0.001, share + " of the pixels differ");
    }

    private static int differing(BufferedImage a, BufferedImage b) {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                count += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        return count;
    }
}
