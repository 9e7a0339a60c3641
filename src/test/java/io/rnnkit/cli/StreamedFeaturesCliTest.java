package io.rnnkit.cli;

import io.rnnkit.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train} streamed ({@code enabled: always}, one shard) and read whole end with byte-identical {@code metrics.json}
 * for what the streaming path reads besides values: {@code data.segments} (the shipped ArrowHead config, as published),
 * {@code data.paths} (the shipped pooled sentiment config, with each file's test figures) and {@code data.categorical}
 * (rows with a text column; no public dataset here has one).
 */
@Tag("learning") // trains six small networks: in mvn verify, not the fast tier
class StreamedFeaturesCliTest {
    @TempDir
    Path dir;

    /** Trains the config both ways with {@code settings}; returns the streamed run's metrics.json, equal to the other's. */
    private String trainBothWays(Path config, String... settings) throws IOException {
        List<String> metrics = new ArrayList<>();
        for (String streaming : new String[]{"never", "always"}) {
            List<String> args = new ArrayList<>(List.of("train", config.toString(), "--out", dir.resolve(streaming).toString(),
                    "--set", "data.streaming.enabled=" + streaming, "--set", "data.streaming.cacheDir=" + dir.resolve("cache")));
            for (String setting : settings) {
                args.add("--set");
                args.add(setting);
            }
            assertEquals(0, Main.run(args.toArray(String[]::new)), streaming);
            metrics.add(Files.readString(dir.resolve(streaming).resolve("metrics.json")));
        }
        assertTrue(Files.isDirectory(dir.resolve("cache")), "the always run streamed");
        assertEquals(metrics.get(0), metrics.get(1));
        return metrics.get(1);
    }

    @Test
    void segmentsOfArrowHeadTrainToTheInMemoryMetrics() throws IOException {
        TestData.require("uea_ts/ArrowHead_TRAIN.ts");
        String metrics = trainBothWays(Path.of("configs/arrowhead-gru.yaml"), "training.epochs=2", "model.layers[0].units=8",
                "training.checkpointEvery=0");
        assertTrue(metrics.contains("\"accuracy\""), metrics);
    }

    @Test
    void pooledSentimentFilesTrainToTheInMemoryMetricsPerFile() throws IOException {
        TestData.require("sentiment_labelled_sentences/yelp_labelled.txt");
        String metrics = trainBothWays(Path.of("configs/sentiment-pooled-lstm.yaml"), "training.epochs=1", "model.layers[0].units=4",
                "model.embeddingSize=4", "model.layers[0].bidirectional=false", "data.text.sequenceLength=20");
        assertTrue(metrics.contains("\"sources\"") && metrics.contains("imdb_labelled.txt"), metrics);
    }

    @Test
    void categoricalRowsTrainToTheInMemoryMetrics() throws IOException {
        Path data = dir.resolve("rows.csv");
        Random random = new Random(2);
        String[] colours = {"red", "green", "blue", "violet"};
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 200; r++) {
            int label = r % 2;
            for (int t = 0; t < 8; t++) {
                rows.append(random.nextGaussian() + label).append(',').append(colours[random.nextInt(100) < 2 ? 3 : (label + random.nextInt(2)) % 3]).append(',');
            }
            rows.append(label).append('\n');
        }
        Files.writeString(data, rows);
        Path config = Files.writeString(dir.resolve("categorical.yaml"), """
                name: categorical
                seed: 7
                task: {topology: many-to-one, kind: classification}
                data:
                  format: rows
                  path: %s
                  features: 2
                  categorical: [x2]
                  labels: {from: last-column}
                model:
                  layers:
                    - {type: lstm, units: 6}
                training:
                  epochs: 2
                  batchSize: 32
                """.formatted(data));
        String metrics = trainBothWays(config);
        assertTrue(metrics.contains("\"categories_other\""), metrics);
    }
}
