package io.rnnkit.serve;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tiny models of the tasks {@link io.rnnkit.TrainedModels} has none of (text classifier, text generator, vector to
 * sequence, per-step classifier) and the quickstart's network, trained once per JVM for one epoch into
 * {@code target/serve-models}: the server tests need their shapes, not skill.
 */
final class ServeModels {
    private static final Map<String, Path> CACHE = new HashMap<>();
    private static final String[] WORDS = {"good", "great", "tasty", "bad", "awful", "cold", "the", "food", "was", "very"};

    private ServeModels() {
    }

    /** Lines of words labelled 1 (praise) or 0. */
    static Path textClassifier() {
        return cached("text-classifier", dir -> {
            Random random = new Random(3);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                int label = i % 2;
                lines.append("the food was ").append(WORDS[label == 1 ? random.nextInt(3) : 3 + random.nextInt(3)])
                        .append(' ').append(WORDS[6 + random.nextInt(4)]).append('\t').append(label).append('\n');
            }
            return """
                    name: text-classifier
                    task: {topology: many-to-one, kind: classification}
                    data:
                      format: text
                      path: %s
                      text: {unit: word, mode: lines, lowercase: true, labelSeparator: "\\t", sequenceLength: 8}
                      labels: {classes: ["0", "1"]}
                      split: {train: 0.6, validation: 0.2, test: 0.2}
                      normalizer: none
                    model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                    training: {epochs: 1, batchSize: 16}
                    """.formatted(write(dir.resolve("reviews.txt"), lines.toString()));
        });
    }

    /** Character lines ("names") for a one-to-many text generator. */
    static Path textGenerator() {
        return cached("text-generator", dir -> {
            Random random = new Random(4);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 80; i++) {
                int length = 3 + random.nextInt(5);
                for (int c = 0; c < length; c++) {
                    lines.append((char) ('a' + random.nextInt(6)));
                }
                lines.append('\n');
            }
            return """
                    name: text-generator
                    task: {topology: one-to-many, kind: classification}
                    data:
                      format: text
                      path: %s
                      text: {unit: character, mode: lines, sequenceLength: 10}
                      split: {train: 0.8, validation: 0.1, test: 0.1}
                      normalizer: none
                    model: {embeddingSize: 4, layers: [{type: lstm, units: 8}]}
                    training: {epochs: 1, batchSize: 16}
                    """.formatted(write(dir.resolve("names.txt"), lines.toString()));
        });
    }

    /** Control charts drawn from a vector (chart-synthesis). */
    static Path vectorToSequence() {
        return cached("vector-to-sequence", dir -> """
                name: vector-to-sequence
                task: {topology: one-to-many, kind: regression}
                data: {format: generated, generator: {kind: chart-synthesis, samplesPerClass: 10, length: 12}}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16}
                """);
    }

    /** A label at every step (shift-detection): many-to-many. */
    static Path perStepClassifier() {
        return cached("per-step", dir -> """
                name: per-step
                task: {topology: many-to-many, kind: classification}
                data: {format: generated, generator: {kind: shift-detection, samplesPerClass: 10, length: 12}}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16}
                """);
    }

    /** The quickstart's data and network (configs/quickstart.yaml) for one epoch: the load test's model. */
    static Path quickstart() {
        return cached("quickstart", dir -> null);
    }

    private static synchronized Path cached(String name, java.util.function.Function<Path, String> yaml) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                // under target/, which mvn clean removes (a temporary directory would outlive the JVM); one folder per
                // test JVM, as surefire runs two at once
                Path dir = Path.of("target/serve-models", Long.toString(ProcessHandle.current().pid()), n);
                if (Files.exists(dir)) {
                    try (var old = Files.walk(dir)) {
                        old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
                Files.createDirectories(dir);
                String text = yaml.apply(dir);
                var config = text == null
                        ? ConfigLoader.load(Path.of("configs/quickstart.yaml"), List.of("training.epochs=1", "training.updater.schedule.warmup=0"))
                        : ConfigLoader.load(write(dir.resolve(n + ".yaml"), text), List.of());
                ExperimentRunner.RunResult run = ExperimentRunner.run(config, dir.resolve("run"), TrainingProgress.SILENT);
                return run.directory().resolve("model.zip");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
