package io.rnnkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public datasets for learning tests. Where they are absent the test is skipped with a message saying
 * how to fetch them, unless RNNKIT_REQUIRE_DATA=1 (as .ci/run sets), where absence is a failure.
 */
public final class TestData {
    private TestData() {
    }

    public static Path require(String relative) {
        Path root = io.rnnkit.config.DataPaths.datasetsRoot();
        Path file = root.resolve(relative);
        if (!Files.exists(file)) {
            String message = "public dataset " + file.toAbsolutePath().normalize() + " is absent; fetch it with datasets/fetch.sh"
                    + " (or point RNNKIT_DATASETS at a copy)";
            if ("1".equals(System.getenv("RNNKIT_REQUIRE_DATA"))) {
                throw new AssertionError(message + " — RNNKIT_REQUIRE_DATA=1 demands it");
            }
            Assumptions.abort(message);
        }
        return file;
    }
}
