package io.rnnkit.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium for tests that must see a page as a browser renders it. Where it is not
 * installed the test is skipped with a message saying how to install it, unless RNNKIT_REQUIRE_BROWSER=1
 * (as .ci/run sets), where its absence is a failure.
 */
public final class HeadlessBrowser {
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private HeadlessBrowser() {
    }

    /** The Chromium executable, or the test is skipped (or failed, when a browser is required). */
    public static Path require() {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        String message = "headless Chromium is absent (looked for " + CANDIDATES + "); install it with"
                + " apt-get install -y --no-install-recommends chromium";
        if ("1".equals(System.getenv("RNNKIT_REQUIRE_BROWSER"))) {
            throw new AssertionError(message + " — RNNKIT_REQUIRE_BROWSER=1 demands it");
        }
        Assumptions.abort(message);
        return null;
    }

    /** The DOM of the page after its scripts ran and {@code virtualMillis} of virtual time passed. */
    public static String dumpDom(String url, int virtualMillis, Path scratch) throws IOException, InterruptedException {
        Path browser = require();
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        Path out = scratch.resolve("dom-" + System.nanoTime() + ".html");
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=" + virtualMillis, "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s for " + url);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
