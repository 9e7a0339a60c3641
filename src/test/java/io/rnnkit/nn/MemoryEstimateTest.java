package io.rnnkit.nn;

import io.rnnkit.config.ConfigException;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory estimate counts the parameters DL4J allocates, and refuses what exceeds either limit. */
class MemoryEstimateTest {
    @Test
    void theParameterCountIsTheNetworksOwn() {
        String[] layers = {
                "[{type: lstm, units: 7}]",
                "[{type: gru, units: 5}, {type: simple-rnn, units: 3, bidirectional: true}]",
                "[{type: lstm, units: 4, bidirectional: true}, {type: lstm, units: 6, implementation: dl4j}]",
                "[{type: lstm, units: 7, layerNorm: true}, {type: gru, units: 5, layerNorm: true, bidirectional: true}]",
        };
        for (String l : layers) {
            ExperimentConfig config = Yaml.load(Yaml.MINIMAL, "model.layers=" + l).config();
            assertEquals(NetworkBuilder.build(config, 3, 6).numParams(), MemoryEstimate.of(config, 3, 6, 1, 1).parameters(), l);
        }
        ExperimentConfig text = Yaml.load("""
                name: t
                task: {topology: one-to-many}
                data: {format: text, path: pom.xml, normalizer: none}
                model: {embeddingSize: 8, layers: [{type: lstm, units: 4}]}
                """).config();
        assertEquals(NetworkBuilder.build(text, 40, 6).numParams(), MemoryEstimate.of(text, 40, 6, 1, 1).parameters(), "with an embedding");
    }

    @Test
    void aNetworkBeyondEitherLimitIsRefusedWithTheFigure() {
        ExperimentConfig config = Yaml.load(Yaml.MINIMAL, "model.layers=[{type: lstm, units: 1000}]").config();
        MemoryEstimate e = MemoryEstimate.of(config, 1, 6, 32, 100);
        assertEquals(4L * 1000 * 1001 + 4 * 1000 + 6006, e.parameters());
        assertEquals(2 * e.parameters(), e.updaterValues(), "Adam's two moments");
        assertEquals(32L * 100 * (6 * 1000 + 6), e.activations());
        ConfigLocations where = new ConfigLocations("t.yaml");
        e.check(config, where, e.offHeapBytes(), e.heapBytes()); // exactly enough
        String offHeap = assertThrows(ConfigException.class, () -> e.check(config, where, e.offHeapBytes() - 1, Long.MAX_VALUE)).getMessage();
        assertTrue(offHeap.contains("model.layers[0].units: training this network needs at least 223.2 MB of ND4J memory (4,014,006 parameters"), offHeap);
        String heap = assertThrows(ConfigException.class, () -> e.check(config, where, 0, e.heapBytes() - 1)).getMessage();
        assertTrue(heap.contains("checkpointing this network needs at least 122.5 MB of Java heap"), heap);
    }
}
