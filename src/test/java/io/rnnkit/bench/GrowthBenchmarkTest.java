package io.rnnkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.cli.CliTest;
import io.rnnkit.nn.layers.Nd4jPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rnnkit bench --seq-lengths} and {@code --widths} at tiny settings: one well-formed JSON line per
 * configuration with the fields docs/benchmarks.md reads. Times are only checked to be positive (no test
 * here may depend on the machine's speed); the workspace sizes do not depend on it.
 */
class GrowthBenchmarkTest {
    // the bench sets ND4J's default type to FLOAT; restore the test JVM's afterwards
    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.FLOAT);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(String... args) throws Exception {
        CliTest.Outcome o = CliTest.rnnkit(args);
        assertEquals(0, o.code(), o.err());
        List<JsonNode> out = new ArrayList<>();
        for (String line : o.out().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line)); // every line of stdout is one JSON object
            }
        }
        return out;
    }

    private static Set<String> fields(JsonNode line) {
        Set<String> names = new TreeSet<>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void sequenceLengthSweepPrintsOneLinePerLengthTruncationAndCell() throws Exception {
        List<JsonNode> lines = lines("bench", "--seq-lengths", "12,48", "--tbptt", "6", "--cells", "lstm,rnnkit-lstm",
                "--batch", "8", "--hidden", "4", "--sequences", "16", "--rounds", "1", "--warmup", "1",
                "--dl4j-max-steps", "12");
        // DL4J's LSTM only at 12 steps (--dl4j-max-steps): 2 cells × 2 truncations at 12, rnnkit's alone × 2 at 48
        List<String> seen = lines.stream().map(l -> l.get("impl").asText() + "@" + l.get("steps").asInt() + "/"
                + l.get("tbptt").asInt()).toList();
        assertEquals(List.of("lstm@12/0", "rnnkit-lstm@12/0", "lstm@12/6", "rnnkit-lstm@12/6", "rnnkit-lstm@48/0",
                "rnnkit-lstm@48/6"), seen);
        for (JsonNode l : lines) {
            assertEquals(Set.of("sweep", "impl", "steps", "tbptt", "batch", "hidden", "sequences", "epoch_s_p50", "epoch_s_min",
                    "epoch_s_max", "us_per_batch_step", "gflops", "workspace_peak_mb", "workspace_held_mb", "blas", "threads"),
                    fields(l));
            assertEquals("seq-length", l.get("sweep").asText());
            assertEquals(16, l.get("sequences").asInt(), "two minibatches of 8 an epoch");
            assertTrue(l.get("epoch_s_min").asDouble() > 0 && l.get("epoch_s_min").asDouble() <= l.get("epoch_s_max").asDouble(), l.toString());
            assertTrue(l.get("workspace_peak_mb").asDouble() > 0, l.toString());
        }
        // rnnkit's LSTM: the activations of 48 steps take more than those of 12, and truncation to 6 steps bounds them
        double full12 = lines.get(1).get("workspace_peak_mb").asDouble();
        double full48 = lines.get(4).get("workspace_peak_mb").asDouble();
        double cut48 = lines.get(5).get("workspace_peak_mb").asDouble();
        assertTrue(full48 > 2 * full12, full12 + " MB at 12 steps, " + full48 + " at 48");
        assertTrue(cut48 < full12, "truncated to 6 steps, 48 steps took " + cut48 + " MB; 12 whole steps " + full12);
    }

    @Test
    void widthSweepPrintsGflopsBesideTheBlasRateForEachWidthAndCell() throws Exception {
        List<JsonNode> lines = lines("bench", "--widths", "4,8", "--cells", "rnnkit-lstm,gru", "--batch", "8", "--steps", "5",
                "--rounds", "1", "--warmup", "1");
        assertEquals(List.of("width-rnnkit-lstm-4", "width-gru-4", "width-rnnkit-lstm-8", "width-gru-8"),
                lines.stream().map(l -> l.get("workload").asText()).toList());
        for (JsonNode l : lines) {
            assertEquals(Set.of("workload", "impl", "train_seq_per_s", "train_ms_per_batch_p50", "gflops", "cblas_step_gflops", "blas",
                    "simd", "threads"), fields(l));
            // rates only as numbers: at width 4 they round to 0.00 GFLOP/s on a busy machine
            for (String rate : List.of("gflops", "cblas_step_gflops", "train_ms_per_batch_p50")) {
                assertTrue(l.get(rate).isNumber() && l.get(rate).asDouble() >= 0, rate + ": " + l);
            }
            assertTrue(l.get("train_ms_per_batch_p50").asDouble() > 0, l.toString());
        }
    }

    @Test
    void badSweepArgumentsExit2WithOneMessage() {
        CliTest.Outcome cell = CliTest.rnnkit("bench", "--seq-lengths", "10", "--cells", "lstm,tcn");
        assertEquals(2, cell.code());
        assertTrue(cell.err().contains("--cells: unknown cell 'tcn'; known: lstm, rnnkit-lstm, gru, simplernn, rnnkit-simplernn"),
                cell.err());
        CliTest.Outcome length = CliTest.rnnkit("bench", "--seq-lengths", "100,0");
        assertEquals(2, length.code());
        assertTrue(length.err().contains("--seq-lengths must be at least 1, got 0"), length.err());
        CliTest.Outcome both = CliTest.rnnkit("bench", "--seq-lengths", "10", "--widths", "8");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--data-size, --seq-lengths and --widths are separate runs: give one of them"), both.err());
        assertEquals(2, CliTest.rnnkit("bench", "--data-size", "100", "--widths", "8").code());
    }
}
