package io.rnnkit.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.nn.layers.LegacyCellNames;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network's entries — {@link BundleFormat#NETWORK_CONFIG}, {@link BundleFormat#COEFFICIENTS} and, in
 * checkpoints, {@link BundleFormat#UPDATER_STATE} — in DL4J's {@code ModelSerializer} layout, and the network
 * restored from them by rnnkit rather than by {@code ModelSerializer}, whose reader re-reads the zip by its local
 * headers and deserializes a {@code preprocessor.bin} with {@code ObjectInputStream}. Here nothing is
 * deserialized but JSON and arrays: the configuration's JSON is searched for class names first, and one that is not
 * DL4J's, ND4J's or rnnkit's is refused before Jackson could load it (and run its static initializer); the
 * parameter count the configuration implies must be the one the coefficients hold, so a configuration cannot make
 * the restore allocate more than the bundle's bytes.
 */
public final class NetworkCodec {
    /** Packages whose classes a network configuration may name. */
    static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "io.rnnkit.");
    /** A Java-qualified name anywhere in a string: what Jackson could resolve as a class, alone or in a generic type. */
    private static final Pattern QUALIFIED = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(?:\\s*\\.\\s*[\\p{L}_$][\\p{L}\\p{N}_$]*)+");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        LegacyCellNames.register(); // bundles and checkpoints saved before the cells' rename name their old classes
    }

    private NetworkCodec() {
    }

    /** The network's entries; with its updater's state when {@code withUpdater} (a checkpoint). */
    public static Map<String, byte[]> entries(MultiLayerNetwork network, boolean withUpdater) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(BundleFormat.NETWORK_CONFIG, network.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
        out.put(BundleFormat.COEFFICIENTS, array(network.params()));
        INDArray state = withUpdater && network.getUpdater() != null ? network.getUpdater().getStateViewArray() : null;
        if (state != null && state.length() > 0) {
            out.put(BundleFormat.UPDATER_STATE, array(state));
        }
        return out;
    }

    /** One array in {@code Nd4j.write}'s layout. */
    public static byte[] array(INDArray array) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            Nd4j.write(array, out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An array written by {@link #array}; {@code what} names it in messages. */
    public static INDArray readArray(byte[] bytes, String what) {
        BinaryReader in = new BinaryReader(bytes, what);
        INDArray array = in.readArray();
        in.end();
        return array;
    }

    /** The network's configuration, after the class-name check. */
    static MultiLayerConfiguration configuration(SavedFile file) {
        String what = file.source() + "!/" + BundleFormat.NETWORK_CONFIG;
        String json = new String(file.bytes(BundleFormat.NETWORK_CONFIG), StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BundleIntegrityException(what + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new BundleIntegrityException(what + ": not a network configuration");
        }
        checkClassNames(tree, what);
        try {
            return MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new BundleException(what + ": the network configuration cannot be read by this rnnkit's DL4J: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the network from the verified entries of {@code file}: its configuration, its parameters and, with
     * {@code withUpdater}, its updater's state.
     */
    public static MultiLayerNetwork restore(SavedFile file, boolean withUpdater) {
        MultiLayerConfiguration conf = configuration(file);
        return restore(file, conf, withUpdater);
    }

    static MultiLayerNetwork restore(SavedFile file, MultiLayerConfiguration conf, boolean withUpdater) {
        String source = file.source();
        INDArray params = readArray(file.bytes(BundleFormat.COEFFICIENTS), source + "!/" + BundleFormat.COEFFICIENTS);
        long expected = parameterCount(conf);
        if (params.length() != expected) {
            throw new BundleIntegrityException(source + ": " + BundleFormat.COEFFICIENTS + " holds " + params.length()
                    + " parameters, and the network configuration has " + expected);
        }
        MultiLayerNetwork network = network(conf, params, source);
        try {
            if (withUpdater && file.has(BundleFormat.UPDATER_STATE)) {
                INDArray state = readArray(file.bytes(BundleFormat.UPDATER_STATE), source + "!/" + BundleFormat.UPDATER_STATE);
                INDArray view = network.getUpdater().getStateViewArray();
                if (view == null || view.length() != state.length()) {
                    throw new BundleIntegrityException(source + ": " + BundleFormat.UPDATER_STATE + " holds " + state.length()
                            + " values, and the network's updater has " + (view == null ? 0 : view.length()));
                }
                network.getUpdater().setStateViewArray(network, state, false);
            }
            return network;
        } catch (BundleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BundleException(source + ": the network in the bundle cannot be restored: " + e.getMessage(), e);
        }
    }

    /** A network of {@code conf} on {@code params} (already checked to be as many as it takes); faults name {@code source}. */
    static MultiLayerNetwork network(MultiLayerConfiguration conf, INDArray params, String source) {
        try {
            conf.setDataType(params.dataType());
            MultiLayerNetwork network = new MultiLayerNetwork(conf);
            network.init(params, false);
            return network;
        } catch (RuntimeException e) {
            throw new BundleException(source + ": the network in the bundle cannot be restored: " + e.getMessage(), e);
        }
    }

    /** The parameters the configuration's layers take, computed without allocating them. */
    static long parameterCount(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
    }

    /** The network's input width (the first layer's {@code nIn}) and output width (the last's {@code nOut}); -1 where not known. */
    static long[] widths(MultiLayerConfiguration conf) {
        List<NeuralNetConfiguration> confs = conf.getConfs();
        FeedForwardLayer first = feedForward(confs.get(0).getLayer());
        FeedForwardLayer last = feedForward(confs.get(confs.size() - 1).getLayer());
        return new long[]{first == null ? -1 : first.getNIn(), last == null ? -1 : last.getNOut()};
    }

    private static FeedForwardLayer feedForward(Layer layer) {
        if (layer instanceof Bidirectional b) {
            return feedForward(b.getFwd());
        }
        if (layer instanceof BaseWrapperLayer w) {
            return feedForward(w.getUnderlying());
        }
        return layer instanceof FeedForwardLayer f ? f : null;
    }

    /** Every field name and text value naming a Java class must name one of DL4J's, ND4J's or rnnkit's. */
    private static void checkClassNames(JsonNode node, String what) {
        if (node.isTextual()) {
            checkText(node.textValue(), what);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            checkText(field.getKey(), what);
            if (field.getKey().equals("@class")) {
                checkTypeId(field.getValue(), what);
            }
            checkClassNames(field.getValue(), what);
        }
        if (node.isArray() && node.size() == 2 && node.get(1).isObject()) {
            checkTypeId(node.get(0), what); // Jackson also reads a type as ["class", {...}]
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                checkClassNames(element, what);
            }
        }
    }

    /** A type id must be a class of an allowed package, even one without a dot that the search above would miss. */
    private static void checkTypeId(JsonNode id, String what) {
        if (id.isTextual() && ALLOWED_PACKAGES.stream().noneMatch(id.textValue()::startsWith)) {
            throw new BundleIntegrityException(what + ": names the class " + Printable.quoted(id.textValue())
                    + "; a network configuration names only DL4J's, ND4J's and rnnkit's classes");
        }
    }

    private static void checkText(String text, String what) {
        Matcher m = QUALIFIED.matcher(text);
        while (m.find()) {
            String name = m.group().replaceAll("\\s", "");
            if (ALLOWED_PACKAGES.stream().noneMatch(name::startsWith)) {
                throw new BundleIntegrityException(what + ": names the class " + Printable.quoted(name)
                        + "; a network configuration names only DL4J's, ND4J's and rnnkit's classes");
            }
        }
    }
}
