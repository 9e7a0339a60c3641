package io.rnnkit.report;

import io.rnnkit.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small PNG charts drawn with plain Java2D (headless; no chart library to ship): line charts with a title,
 * axis labels, ticks and a legend, optionally with a logarithmic y axis, and a labelled heat map for confusion
 * matrices. Enough for figures a person reads at a glance; nothing interactive.
 */
public final class Chart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    /** One line: its legend name and its points (x and y of equal length; non-finite y values are skipped). */
    public record Series(String name, double[] x, double[] y, boolean dashed) {
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, false);
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;
    /** Spans of x shaded behind the lines: {from, to, 1 for a muted span (such as a period not scored)}. */
    private final List<double[]> shades = new ArrayList<>();
    /** Regions between two curves: {x, lower, upper, {palette index}}. */
    private final List<double[][]> bands = new ArrayList<>();

    public Chart(String title, String xLabel, String yLabel) {
        System.setProperty("java.awt.headless", "true");
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** Shades {@code [from, to]} of the x axis behind the lines (labelled windows of a series). */
    public Chart shade(double from, double to) {
        return shade(from, to, false);
    }

    /** Shades {@code [from, to]}, in grey when {@code muted} (a part that is not scored). */
    public Chart shade(double from, double to, boolean muted) {
        shades.add(new double[]{from, to, muted ? 1 : 0});
        return this;
    }

    /**
     * Shades the region between {@code lower} and {@code upper} (a prediction interval) behind the lines, in the colour
     * of series {@code colourOf} (the forecast it belongs to), broken where a bound is not finite.
     */
    public Chart band(double[] x, double[] lower, double[] upper, int colourOf) {
        bands.add(new double[][]{x, lower, upper, {colourOf}});
        return this;
    }

    /** Images one above the other, as one figure. */
    public static BufferedImage stack(BufferedImage... images) {
        int height = java.util.Arrays.stream(images).mapToInt(BufferedImage::getHeight).sum();
        int width = java.util.Arrays.stream(images).mapToInt(BufferedImage::getWidth).max().orElse(WIDTH);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, 0, y, null);
            y += image.getHeight();
        }
        g.dispose();
        return out;
    }

    /** A logarithmic y axis, for quantities that shrink or grow geometrically (gradient norms). */
    public Chart logY() {
        logY = true;
        return this;
    }

    private double ty(double y) {
        return logY ? Math.log10(y) : y;
    }

    private boolean usable(double y) {
        return Double.isFinite(y) && (!logY || y > 0);
    }

    public BufferedImage render() {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image);
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (usable(s.y()[i])) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMin = Math.min(yMin, ty(s.y()[i]));
                    yMax = Math.max(yMax, ty(s.y()[i]));
                }
            }
        }
        for (double[][] b : bands) {
            for (int i = 0; i < b[0].length; i++) {
                if (usable(b[1][i]) && usable(b[2][i])) {
                    yMin = Math.min(yMin, ty(b[1][i]));
                    yMax = Math.max(yMax, ty(b[2][i]));
                }
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        double pad = (yMax - yMin) * 0.05;
        if (pad == 0) {
            pad = Math.max(Math.abs(yMax) * 0.05, 0.5);
        }
        yMin -= pad;
        yMax += pad;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        frame(g, plotW, plotH);
        for (double[] span : shades) {
            double from = Math.max(span[0], xMin);
            double to = Math.min(span[1], xMax);
            if (from <= to) {
                int px = LEFT + (int) Math.round((from - xMin) / (xMax - xMin) * plotW);
                int width = Math.max(2, (int) Math.round((to - from) / (xMax - xMin) * plotW));
                g.setColor(span[2] > 0 ? new Color(0, 0, 0, 28) : new Color(214, 39, 40, 48));
                g.fillRect(px, TOP, width, plotH);
            }
        }
        for (double[][] b : bands) {
            Color c = PALETTE[(int) b[3][0] % PALETTE.length];
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 48));
            int from = 0;
            while (from < b[0].length) {
                int to = from;
                while (to < b[0].length && usable(b[1][to]) && usable(b[2][to])) {
                    to++;
                }
                if (to > from) {
                    // one polygon per unbroken run: along the upper bound, back along the lower
                    Path2D.Double region = new Path2D.Double();
                    for (int i = from; i < to; i++) {
                        double px = LEFT + (b[0][i] - xMin) / (xMax - xMin) * plotW;
                        double py = TOP + plotH - (ty(b[2][i]) - yMin) / (yMax - yMin) * plotH;
                        if (i == from) {
                            region.moveTo(px, py);
                        } else {
                            region.lineTo(px, py);
                        }
                    }
                    for (int i = to - 1; i >= from; i--) {
                        region.lineTo(LEFT + (b[0][i] - xMin) / (xMax - xMin) * plotW, TOP + plotH - (ty(b[1][i]) - yMin) / (yMax - yMin) * plotH);
                    }
                    region.closePath();
                    g.fill(region);
                }
                from = to + 1;
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double v : ticks(xMin, xMax)) {
            int px = LEFT + (int) Math.round((v - xMin) / (xMax - xMin) * plotW);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            centered(g, format(v), px, TOP + plotH + 20);
        }
        for (double v : ticks(yMin, yMax)) {
            int py = TOP + plotH - (int) Math.round((v - yMin) / (yMax - yMin) * plotH);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(logY ? Math.pow(10, v) : v);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 5);
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[]{8f, 6f}, 0f)
                    : new BasicStroke(2.2f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            int points = 0;
            boolean[] drawn = thinned(s, xMin, xMax, plotW);
            for (int i = 0; i < s.x().length; i++) {
                if (!usable(s.y()[i])) {
                    started = false;
                    continue;
                }
                if (drawn != null && !drawn[i]) {
                    continue;
                }
                double px = LEFT + (s.x()[i] - xMin) / (xMax - xMin) * plotW;
                double py = TOP + plotH - (ty(s.y()[i]) - yMin) / (yMax - yMin) * plotH;
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
                points++;
                if (s.x().length <= 40) {
                    g.fillOval((int) px - 3, (int) py - 3, 7, 7);
                }
            }
            if (points > 0) {
                g.draw(path);
            }
        }
        g.setStroke(new BasicStroke(1f));
        labels(g, plotW, plotH);
        legend(g, plotW);
        g.dispose();
        return image;
    }

    /**
     * Which points of a long line are drawn, or null for all of them: above {@value #THIN_ABOVE} points a pixel column
     * of the plot, each column's run of consecutive points keeps its first, lowest, highest and last (the M4
     * aggregation of Jugel et al., VLDB 2014), so a line through a million steps draws the same extremes and the same
     * connections between columns from at most four points a column. Without it Java2D's stroker holds arrays growing
     * with the points of one line, which a detector's plot of a long series cannot afford in a small heap.
     */
    boolean[] thinned(Series s, double xMin, double xMax, int plotW) {
        int n = s.x().length;
        if (n <= (long) thinAbove * plotW) {
            return null;
        }
        boolean[] drawn = new boolean[n];
        int first = -1, low = -1, high = -1, last = -1;
        long column = Long.MIN_VALUE;
        for (int i = 0; i <= n; i++) {
            boolean usable = i < n && usable(s.y()[i]);
            long c = usable ? (long) Math.floor((s.x()[i] - xMin) / (xMax - xMin) * plotW) : Long.MIN_VALUE;
            if (first >= 0 && (!usable || c != column)) { // the run in this column ends: a gap or the next column
                drawn[first] = drawn[low] = drawn[high] = drawn[last] = true;
                first = -1;
            }
            if (!usable) {
                continue;
            }
            if (first < 0) {
                first = low = high = i;
                column = c;
            }
            if (s.y()[i] < s.y()[low]) {
                low = i;
            }
            if (s.y()[i] > s.y()[high]) {
                high = i;
            }
            last = i;
        }
        return drawn;
    }

    /** Points a pixel column above which a line is thinned ({@link #thinned}). */
    static final int THIN_ABOVE = 4;
    private int thinAbove = THIN_ABOVE;

    /** Draws lines of up to {@code pointsPerColumn} points a pixel column whole (tests compare with the thinned drawing). */
    Chart thinAbove(int pointsPerColumn) {
        thinAbove = pointsPerColumn;
        return this;
    }

    /**
     * A heat map of counts with the count in each cell: rows are true classes, columns predicted ones, so the
     * diagonal holds the right answers. Cells are shaded by their share of the row (recall per class).
     */
    public static BufferedImage confusion(String title, List<String> classes, int[][] counts) {
        int k = classes.size();
        BufferedImage image = new BufferedImage(WIDTH, WIDTH - 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int left = 190;
        int top = 70;
        int size = Math.min(image.getWidth() - left - 40, image.getHeight() - top - 130);
        int cell = size / Math.max(k, 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        centered(g, title, image.getWidth() / 2, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < k; i++) {
            int rowTotal = 0;
            for (int j = 0; j < k; j++) {
                rowTotal += counts[i][j];
            }
            for (int j = 0; j < k; j++) {
                double share = rowTotal == 0 ? 0 : counts[i][j] / (double) rowTotal;
                int shade = (int) Math.round(255 - 200 * share);
                g.setColor(i == j ? new Color(shade, 255 - (int) (60 * share), shade) : new Color(255, shade, shade));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.GRAY);
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(Color.BLACK);
                centered(g, Integer.toString(counts[i][j]), left + j * cell + cell / 2, top + i * cell + cell / 2 + 5);
            }
            String name = classes.get(i);
            g.drawString(name, left - 10 - g.getFontMetrics().stringWidth(name), top + i * cell + cell / 2 + 5);
        }
        for (int j = 0; j < k; j++) {
            Graphics2D r = (Graphics2D) g.create();
            r.translate(left + j * cell + cell / 2 + 5, top + k * cell + 10);
            r.rotate(Math.PI / 6);
            r.drawString(classes.get(j), 0, 0);
            r.dispose();
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        centered(g, "predicted class", left + k * cell / 2, image.getHeight() - 15);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered(g, "true class", -(top + k * cell / 2), 20);
        g.setTransform(saved);
        g.dispose();
        return image;
    }

    public void write(Path file) {
        write(render(), file);
    }

    public static void write(BufferedImage image, Path file) {
        AtomicFiles.write(file, temp -> ImageIO.write(image, "png", temp.toFile()));
    }

    private static BufferedImage canvas() {
        return new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private void frame(Graphics2D g, int plotW, int plotH) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
    }

    private void labels(Graphics2D g, int plotW, int plotH) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        centered(g, title, WIDTH / 2, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        centered(g, xLabel, LEFT + plotW / 2, HEIGHT - 20);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered(g, yLabel + (logY ? " (log scale)" : ""), -(TOP + plotH / 2), 22);
        g.setTransform(saved);
    }

    private void legend(Graphics2D g, int plotW) {
        if (series.isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int w = Math.min(RIGHT - 20, series.stream().mapToInt(s -> fm.stringWidth(s.name())).max().orElse(0) + 45);
        int h = series.size() * 20 + 10;
        int x = LEFT + plotW + 12;
        int y = TOP;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x, y, w, h);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(x, y, w, h);
        for (int k = 0; k < series.size(); k++) {
            int ly = y + 18 + k * 20;
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x + 8, ly - 5, x + 30, ly - 5);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(series.get(k).name(), x + 37, ly);
        }
    }

    private static void centered(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** About six round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        List<Double> out = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return out;
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 0.01 && Math.abs(v) < 1e5 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.1e", v);
    }
}
