package io.rnnkit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Configurations saved under the cells' old class names read as the renamed classes; new saves use the new names. */
class LegacyCellNamesTest {

    private static MultiLayerConfiguration threeCells() {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new FusedSimpleRnn.Builder().nIn(2).nOut(3).activation(Activation.TANH).build())
                .layer(new FusedLSTM.Builder().layerNorm(true).nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new Bidirectional(new FusedGRU.Builder().nIn(4).nOut(3).build()))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).activation(Activation.IDENTITY).nIn(6).nOut(1).build())
                .build();
    }

    /** {@code text} with each new class name written as the old one, as a save from before the rename has it. */
    private static String withOldNames(String text) {
        for (Map.Entry<String, Class<? extends org.deeplearning4j.nn.conf.layers.Layer>> e
                : LegacyCellNames.RENAMED.entrySet()) {
            text = text.replace("\"" + e.getValue().getName() + "\"", "\"" + e.getKey() + "\"");
        }
        return text;
    }

    @Test
    void aConfigurationSavedUnderTheOldNamesReadsAsTheRenamedCells() {
        MultiLayerConfiguration conf = threeCells();
        String json = conf.toJson();
        for (Class<?> renamed : LegacyCellNames.RENAMED.values()) {
            assertTrue(json.contains("\"" + renamed.getName() + "\""), "new saves name " + renamed.getName());
        }
        String old = withOldNames(json);
        for (String name : LegacyCellNames.RENAMED.keySet()) {
            assertTrue(old.contains("\"" + name + "\""), name);
            assertFalse(json.contains("\"" + name + "\""), "a new save does not name " + name);
        }
        LegacyCellNames.register();
        MultiLayerConfiguration read = MultiLayerConfiguration.fromJson(old);
        assertEquals(conf, read);
        assertInstanceOf(FusedLSTM.class, read.getConf(1).getLayer());
        assertTrue(((FusedLSTM) read.getConf(1).getLayer()).isLayerNorm(), "settings come along");
        assertEquals(conf, MultiLayerConfiguration.fromYaml(withOldNames(conf.toYaml())), "YAML too");
    }

    @Test
    void aClassNameThatIsNeitherOldNorNewIsStillRefused() {
        LegacyCellNames.register();
        String json = threeCells().toJson().replace("\"" + FusedLSTM.class.getName() + "\"",
                "\"io.rnnkit.nn.layers.NoSuchCell\"");
        RuntimeException e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(json));
        assertTrue(String.valueOf(e.getMessage()).contains("NoSuchCell")
                || String.valueOf(e.getCause()).contains("NoSuchCell"), String.valueOf(e));
    }
}
