package io.rnnkit.nn;

import io.rnnkit.config.Yaml;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepNetworksTest {
    private static MultiLayerNetwork network(String layers) {
        return NetworkBuilder.build(Yaml.load(Yaml.MINIMAL, "model.layers=" + layers).config(), 3, 4);
    }

    @Test
    void theTwinSharesTheParametersAndEndsWhereTheManyToOneNetworkDoes() {
        MultiLayerNetwork net = network("[{type: lstm, units: 6}, {type: simple-rnn, units: 5}]");
        assertNull(StepNetworks.blocker(net.getLayerWiseConfigurations()));
        MultiLayerNetwork twin = StepNetworks.sharing(StepNetworks.twin(net.getLayerWiseConfigurations()), net.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 9);
        INDArray last = null;
        for (int t = 0; t < 9; t++) {
            last = twin.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup());
        }
        assertArrayEquals(net.output(x).toFloatVector(), last.toFloatVector(), 1e-6f);
        net.params().muli(2);
        twin.rnnClearPreviousState();
        for (int t = 0; t < 9; t++) {
            last = twin.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).dup());
        }
        assertArrayEquals(net.output(x).toFloatVector(), last.toFloatVector(), 1e-6f, "the twin reads the same parameter array, not a copy");
    }

    @Test
    void dl4jCannotStepTheManyToOneNetworkItself() {
        MultiLayerNetwork net = network("[{type: lstm, units: 6}]");
        Exception e = assertThrows(Exception.class, () -> net.rnnTimeStep(Nd4j.rand(DataType.FLOAT, 1, 3)));
        assertTrue(e.getMessage().contains("expected matrix (rank 2), got rank 3"), "the DL4J M2.1 behaviour the twin exists for: " + e);
    }

    @Test
    void aBidirectionalLayerBlocksStepping() {
        MultiLayerNetwork net = network("[{type: lstm, units: 4}, {type: simple-rnn, units: 3, bidirectional: true}]");
        assertEquals("layer 1 is bidirectional: its backward pass reads the sequence from the end, so it has no output until the whole"
                + " sequence is known", StepNetworks.blocker(net.getLayerWiseConfigurations()));
        assertThrows(IllegalArgumentException.class, () -> StepNetworks.twin(net.getLayerWiseConfigurations()));
    }
}
