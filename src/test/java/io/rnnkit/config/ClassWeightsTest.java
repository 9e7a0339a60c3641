package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.classWeights: its three YAML forms, their round trip, their faults, and the weights they resolve to. */
class ClassWeightsTest {
    private static ClassWeights weights(String yaml) {
        return Yaml.load(Yaml.MINIMAL, "training.classWeights=" + yaml).config().training().classWeights();
    }

    @Test
    void noneBalancedOrAWeightPerClassName() {
        assertTrue(Yaml.load(Yaml.MINIMAL).config().training().classWeights().none(), "the default");
        assertEquals(ClassWeights.BALANCED, weights("balanced"));
        assertEquals(new ClassWeights(false, Map.of("normal", 1.0, "anomaly", 20.0)), weights("{normal: 1, anomaly: 20}"));
    }

    @Test
    void eachFormRoundTripsThroughTheSavedYaml() {
        for (String form : List.of("none", "balanced", "{normal: 0.5, anomaly: 20}")) {
            ExperimentConfig c = Yaml.load(Yaml.MINIMAL, "training.classWeights=" + form).config();
            assertEquals(c, ConfigLoader.parseSaved(YamlTrees.toYaml(c), "saved.yaml"), form);
        }
    }

    @Test
    void faultsNameThePath() {
        assertEquals(List.of("--set training.classWeights=balance: training.classWeights: expected none, balanced or a weight per class name"
                        + " such as {normal: 1, anomaly: 20}, got 'balance' (did you mean 'balanced'?)"),
                Yaml.problems(Yaml.MINIMAL, "training.classWeights=balance"));
        assertEquals(List.of("test.yaml:8: training.classWeights.a: a class weight must be > 0, got 0"),
                Yaml.problems(Yaml.MINIMAL.replace("training: {epochs: 1}", "training: {epochs: 1, classWeights: {b: 2, a: 0}}")));
        // a fault inside an override is located at the override, not at line 1 of its fragment
        assertEquals(List.of("--set training.classWeights={a: many}: training.classWeights.a: expected a number, got 'many'"),
                Yaml.problems(Yaml.MINIMAL, "training.classWeights={a: many}"));
        assertEquals(List.of("--set training.updater={type: adam, learningRate: -1}: training.updater.learningRate: must be in (0, 10], got -1"),
                Yaml.problems(Yaml.MINIMAL, "training.updater={type: adam, learningRate: -1}"));
        assertTrue(Yaml.problems(Yaml.MINIMAL, "training.classWeights=[1, 2]").get(0).contains("training.classWeights: expected none, balanced"));
    }

    @Test
    void balancedIsTheInverseFrequencyAndNamedWeightsDefaultToOne() {
        // 90 normal, 10 anomaly labels: N / (K n_c)
        assertArrayEquals(new double[]{100.0 / (2 * 90), 100.0 / (2 * 10)}, ClassWeights.BALANCED.resolve(List.of("normal", "anomaly"), new long[]{90, 10}), 1e-12);
        // a class the training split never holds is never a target there: weight 1, and it is not counted among K
        assertArrayEquals(new double[]{0.5 * 100 / 90, 1, 0.5 * 100 / 10}, ClassWeights.BALANCED.resolve(List.of("a", "b", "c"), new long[]{90, 0, 10}), 1e-12);
        assertArrayEquals(new double[]{1, 20}, weights("{anomaly: 20}").resolve(List.of("normal", "anomaly"), new long[]{90, 10}));
        assertNull(ClassWeights.NONE.resolve(List.of("a", "b"), new long[]{1, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> weights("{anomally: 20}").resolve(List.of("normal", "anomaly"), new long[]{1, 1}));
        assertEquals("anomally: not a class of the data [normal, anomaly] (did you mean 'anomaly'?)", e.getMessage());
    }

    @Test
    void theSchemaTakesTheWordOrASectionOfNumbers() {
        String schema = ConfigSchema.json();
        assertTrue(schema.contains("\"enum\" : [ \"none\", \"balanced\" ]"), schema);
    }
}
