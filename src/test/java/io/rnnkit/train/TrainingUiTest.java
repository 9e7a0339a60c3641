package io.rnnkit.train;

import io.rnnkit.config.Yaml;
import io.rnnkit.report.HeadlessBrowser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train --ui: DL4J's training UI shows the run's score chart in a real browser, and listens on loopback only. */
@Tag("browser")
class TrainingUiTest {
    @TempDir
    Path dir;

    @Test
    void theUiShowsTheScoreChartOfARunAndListensOnLoopbackOnly() throws Exception {
        HeadlessBrowser.require();
        try (TrainingUi ui = TrainingUi.start("127.0.0.1", 0)) {
            URI address = URI.create(ui.address());
            assertTrue(address.getHost().equals("127.0.0.1") && address.getPort() > 0, ui.address());
            ExperimentRunner.run(Yaml.load(Yaml.MINIMAL, "training.epochs=3"), dir.resolve("run"), TrainingProgress.SILENT, ui.listener());

            String dom = HeadlessBrowser.dumpDom(ui.address(), 15000, dir);
            int chart = dom.indexOf("id=\"scoreiterchart\"");
            assertTrue(chart > 0, "the overview page with its score chart: " + dom.substring(0, Math.min(500, dom.length())));
            String scoreChart = dom.substring(chart, dom.indexOf("hoverdata", chart));
            // flot draws a y axis with tick labels only when it has points; an empty chart has an x axis from -1 to 1 alone
            assertTrue(scoreChart.contains("flot-y-axis") && scoreChart.contains("flot-base"), "the score chart has data: " + scoreChart);

            InetAddress external = externalAddress();
            if (external != null) {
                assertThrows(IOException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(external, address.getPort()), 2000);
                    }
                }, "not reachable on " + external);
            }
        }
    }

    private static InetAddress externalAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        return null;
    }
}
