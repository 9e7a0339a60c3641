package io.rnnkit.cli;

import io.rnnkit.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An anomaly detector and a tagger per step trained from the command line on NAB's files as published, streamed and read
 * whole: the same metrics.json, and for the detector the same events.csv and anomaly.png, byte for byte.
 */
@Tag("learning") // trainings: in mvn verify, not the fast tier
class StreamedSeriesTasksCliTest {
    @TempDir
    Path dir;

    private void train(String config, String streaming) {
        assertEquals(0, Main.run("train", Path.of("configs", config + ".yaml").toString(), "--set", "training.epochs=1",
                "--set", "data.streaming.enabled=" + streaming, "--set", "data.streaming.cacheDir=" + dir.resolve("cache"),
                "--out", dir.resolve(streaming).toString()));
    }

    @ParameterizedTest
    @CsvSource({"nab-ambient-temperature-anomaly, nab/data/realKnownCause/ambient_temperature_system_failure.csv",
            "nyc-taxi-tagger, nab/data/realKnownCause/nyc_taxi.csv"})
    void aDetectorAndATaggerTrainStreamedToTheOutputsOfTheInMemoryPath(String config, String data) throws IOException {
        TestData.require(data);
        train(config, "never");
        train(config, "always");
        boolean detects = config.endsWith("anomaly");
        for (String file : detects ? new String[]{"metrics.json", "plots/events.csv", "plots/anomaly.png"} : new String[]{"metrics.json"}) {
            assertEquals(-1, Files.mismatch(dir.resolve("never").resolve(file), dir.resolve("always").resolve(file)), file);
        }
        String metrics = Files.readString(dir.resolve("always/metrics.json"));
        assertTrue(metrics.contains(detects ? "\"windowsDetected\"" : "\"anomaly\""), metrics);
    }
}
