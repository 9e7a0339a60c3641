package io.rnnkit.report;

import io.rnnkit.cli.Main;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trained run's figures and its one-page report, as a browser shows it. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    @Tag("browser")
    void aRunHasReadableFiguresAndAReportThatRendersThemInABrowser() throws Exception {
        Path config = Files.writeString(dir.resolve("c.yaml"), Yaml.MINIMAL.replace("epochs: 1", "epochs: 3"));
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", config.toString(), "--out", run.toString()));
        for (String png : new String[]{"loss.png", "gradients.png", "confusion.png"}) {
            BufferedImage image = ImageIO.read(run.resolve("plots").resolve(png).toFile());
            assertTrue(image.getWidth() >= 800 && distinctColours(image) > 5, png + " is a drawn figure, not a blank image");
        }
        assertFalse(Files.exists(run.resolve("plots/forecast.png")), "no forecast figure for a classification run");

        assertEquals(0, Main.run("report", run.toString()));
        Path report = run.resolve(RunReport.FILE);
        String html = Files.readString(report);
        assertTrue(html.contains("<td>test</td>") && html.contains("accuracy"), "the metrics table");
        assertFalse(html.contains("<td>numerics</td>"), "metrics.json's numerics are no split of the table");
        assertTrue(html.contains("&quot;dataFingerprint&quot;") || html.contains("\"dataFingerprint\""), "provenance from model.zip");
        assertFalse(html.contains("src=\"plots/"), "figures are embedded, not linked");

        String dom = HeadlessBrowser.dumpDom(report.toUri().toString(), 5000, dir);
        Matcher m = java.util.regex.Pattern.compile("data-images=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the page's script ran in the browser: " + dom.substring(0, Math.min(300, dom.length())));
        assertEquals(4, Integer.parseInt(m.group(2)), "four figures: loss, metric, gradients, confusion");
        assertEquals(m.group(2), m.group(1), "every embedded figure decodes in the browser");
        assertTrue(dom.contains("completed"), "the status is shown");
    }

    @Test
    void aForecastingRunDrawsItsForecastBesideTheActualSeriesAndTheBaseline() throws IOException {
        StringBuilder csv = new StringBuilder("day,level\n");
        java.time.LocalDate day = java.time.LocalDate.of(2020, 1, 1);
        for (int t = 0; t < 300; t++) {
            csv.append(day.plusDays(t)).append(',').append(String.format(java.util.Locale.ROOT, "%.3f", 10 + 3 * Math.sin(t / 7.0))).append('\n');
        }
        Path data = Files.writeString(dir.resolve("series.csv"), csv);
        Path config = Files.writeString(dir.resolve("f.yaml"), """
                name: f
                task: {topology: many-to-one, kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: day, timeFormat: yyyy-MM-dd, valueColumns: [level]}
                  window: {lookback: 10, horizon: 1}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 2}
                """.formatted(data));
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", config.toString(), "--out", run.toString()));
        BufferedImage forecast = ImageIO.read(run.resolve("plots/forecast.png").toFile());
        assertTrue(distinctColours(forecast) > 5, "forecast.png is drawn");
        assertTrue(Files.exists(run.resolve("plots/metric.png")), "mae per epoch");
        assertFalse(Files.exists(run.resolve("plots/confusion.png")), "no confusion matrix for regression");
    }

    @Test
    void reportOfSomethingElseIsBadInput() throws IOException {
        assertEquals(2, Main.run("report", Files.createDirectories(dir.resolve("nothing")).toString()));
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
