package io.rnnkit.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.eval.SplitMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A run on text pooled from several files ({@code data.paths}) scores each file's test lines on their own too. */
class PooledTextTest {
    @TempDir
    Path dir;

    @Test
    void eachFileIsScoredOnItsOwnTestLines() throws IOException {
        // 20 and 60 lines: test parts of 4 and 12, so the pooled figure is not the plain mean of the files'
        Path fileA = Files.writeString(dir.resolve("a.txt"), "good film\t1\nbad film\t0\n".repeat(10));
        Path fileB = Files.writeString(dir.resolve("b.txt"), "fine phone\t1\nbroken phone\t0\n".repeat(30));
        ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.parse("""
                name: pooled
                task: {topology: many-to-one}
                data: {format: text, paths: [%s, %s], normalizer: none, text: {unit: word, labelSeparator: "\\t"},
                       split: {train: 0.6, validation: 0.2, test: 0.2}}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                training: {epochs: 2, batchSize: 8}
                """.formatted(fileA, fileB), "pooled.yaml", List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        SplitMetrics test = r.metrics().get("test");
        assertEquals(List.of("a.txt", "b.txt"), List.copyOf(test.sources().keySet()));
        JsonNode sources = new ObjectMapper().readTree(dir.resolve("run/metrics.json").toFile()).get("test").get("sources");
        double[] accuracy = {sources.get("a.txt").get("accuracy").asDouble(), sources.get("b.txt").get("accuracy").asDouble()};
        assertEquals(test.sources().get("b.txt").get("accuracy"), accuracy[1], 1e-12);
        assertEquals(4 + 12, r.data().test().size());
        // the pooled figure counts every test line once: the files' figures weighted by their test lines
        assertEquals(test.get("accuracy"), (4 * accuracy[0] + 12 * accuracy[1]) / 16, 1e-9);
    }
}
