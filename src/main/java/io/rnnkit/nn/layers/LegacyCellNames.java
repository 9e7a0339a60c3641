package io.rnnkit.nn.layers;

import java.util.Map;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.deser.DeserializationProblemHandler;
import org.nd4j.shade.jackson.databind.jsontype.TypeIdResolver;

/**
 * The class names rnnkit's cell configurations had before they were renamed so as not to shadow DL4J's
 * ({@code io.rnnkit.nn.layers.LSTM}, {@code GRU}, {@code SimpleRnn}, now {@link FusedLSTM}, {@link FusedGRU},
 * {@link FusedSimpleRnn}). A network configuration names each layer's class in its JSON ({@code "@class"},
 * DL4J's format), so bundles and checkpoints saved before the rename hold the old names: {@link #register} makes
 * DL4J's JSON and YAML readers take an old name for the class that replaced it (a Jackson problem handler,
 * asked only for class names that do not resolve). New saves name the new classes.
 */
public final class LegacyCellNames {

    /** Old class name → the configuration class it is read as. */
    public static final Map<String, Class<? extends org.deeplearning4j.nn.conf.layers.Layer>> RENAMED = Map.of(
            "io.rnnkit.nn.layers.LSTM", FusedLSTM.class,
            "io.rnnkit.nn.layers.GRU", FusedGRU.class,
            "io.rnnkit.nn.layers.SimpleRnn", FusedSimpleRnn.class);

    private static boolean registered;

    private LegacyCellNames() {
    }

    /**
     * Adds the old names to DL4J's configuration readers ({@code MultiLayerConfiguration.fromJson}/{@code fromYaml}
     * and the graph's), once per JVM. rnnkit's bundle reader calls it; code that reads an old configuration with
     * DL4J directly calls it first.
     */
    public static synchronized void register() {
        if (!registered) {
            JsonMappers.getMapper().addHandler(new Handler());
            JsonMappers.getMapperYaml().addHandler(new Handler());
            registered = true;
        }
    }

    private static final class Handler extends DeserializationProblemHandler {
        @Override
        public JavaType handleUnknownTypeId(DeserializationContext ctxt, JavaType baseType, String subTypeId,
                TypeIdResolver idResolver, String failureMsg) {
            Class<?> renamed = RENAMED.get(subTypeId);
            return renamed == null ? null : ctxt.constructType(renamed); // null: not ours, Jackson's own error follows
        }
    }
}
