package io.rnnkit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * rnnkit's GRU against PyTorch's torch.nn.GRU: outputs, final states and all gradients, from the
 * fixture written by src/test/python/gru_reference.py (double precision). PyTorch's
 * weight_ih_l0 [3H, I] (rows r, z, n) is our W transposed, weight_hh_l0 our RW transposed,
 * bias_ih_l0 our b, bias_hh_l0 our rb.
 */
class GRUReferenceTest {

    /** Double precision on both sides: differences are rounding only. */
    private static final double TOLERANCE = 1e-10;

    @RegisterExtension
    static final Nd4jPrecision PRECISION = new Nd4jPrecision(DataType.DOUBLE);

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = GRUReferenceTest.class.getResourceAsStream("gru_reference.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            root.get("cases").forEach(out::add);
            assertEquals(3, out.size(), "fixture cases");
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        int layers = c.get("num_layers").asInt();
        int hidden = c.get("hidden_size").asInt();
        MultiLayerNetwork net = GruTestSupport.gruStack(c.get("input_size").asInt(), hidden, layers);
        for (int l = 0; l < layers; l++) {
            JsonNode p = c.get("layers").get(l);
            Layer layer = net.getLayer(l);
            layer.setParam(GRUParamInitializer.INPUT_WEIGHT_KEY, matrix(p.get("weight_ih")).transpose());
            layer.setParam(GRUParamInitializer.RECURRENT_WEIGHT_KEY, matrix(p.get("weight_hh")).transpose());
            layer.setParam(GRUParamInitializer.INPUT_BIAS_KEY, row(p.get("bias_ih")));
            layer.setParam(GRUParamInitializer.RECURRENT_BIAS_KEY, row(p.get("bias_hh")));
        }
        INDArray x = batchFirstToNcw(c.get("input"));
        INDArray h0 = tensor3(c.get("h0"));
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();

        // Forward from the initial state, as training with stored state (TBPTT) does; keeps the trace
        List<INDArray> acts = new ArrayList<>();
        INDArray a = x;
        for (int l = 0; l < layers; l++) {
            GRULayer layer = (GRULayer) net.getLayer(l);
            layer.rnnSetTBPTTState(Map.of(GRULayer.STATE_KEY_PREV_ACTIVATION, h0.slice(l).dup()));
            a = layer.rnnActivateUsingStoredState(a, true, true, ws);
            acts.add(a);
        }
        double errOut = maxAbsDiff(batchFirstToNcw(c.get("output")), a);
        double errState = 0;
        for (int l = 0; l < layers; l++) {
            INDArray hn = ((GRULayer) net.getLayer(l)).rnnGetTBPTTState().get(GRULayer.STATE_KEY_PREV_ACTIVATION);
            errState = Math.max(errState, maxAbsDiff(tensor3(c.get("h_n")).slice(l), hn));
        }

        // Gradients of L = sum(grad_output * output), through all layers down to the input
        INDArray eps = batchFirstToNcw(c.get("grad_output"));
        double errGrad = 0;
        for (int l = layers - 1; l >= 0; l--) {
            Pair<Gradient, INDArray> g = net.getLayer(l).backpropGradient(eps, ws);
            JsonNode p = c.get("layers").get(l);
            Map<String, INDArray> grads = g.getFirst().gradientForVariable();
            errGrad = Math.max(errGrad, maxAbsDiff(matrix(p.get("grad_weight_ih")).transpose(),
                    grads.get(GRUParamInitializer.INPUT_WEIGHT_KEY)));
            errGrad = Math.max(errGrad, maxAbsDiff(matrix(p.get("grad_weight_hh")).transpose(),
                    grads.get(GRUParamInitializer.RECURRENT_WEIGHT_KEY)));
            errGrad = Math.max(errGrad, maxAbsDiff(row(p.get("grad_bias_ih")),
                    grads.get(GRUParamInitializer.INPUT_BIAS_KEY)));
            errGrad = Math.max(errGrad, maxAbsDiff(row(p.get("grad_bias_hh")),
                    grads.get(GRUParamInitializer.RECURRENT_BIAS_KEY)));
            eps = g.getSecond();
        }
        errGrad = Math.max(errGrad, maxAbsDiff(batchFirstToNcw(c.get("grad_input")), eps));

        System.out.printf("GRU vs PyTorch [%s]: max |diff| output %.2e, final state %.2e, gradients %.2e%n",
                c.get("name").asText(), errOut, errState, errGrad);
        assertTrue(errOut < TOLERANCE, "output differs from PyTorch by " + errOut);
        assertTrue(errState < TOLERANCE, "final state differs from PyTorch by " + errState);
        assertTrue(errGrad < TOLERANCE, "gradients differ from PyTorch by " + errGrad);

        // Inference from a zero state (output()) must agree with the same weights when PyTorch started at zero
        if (c.get("name").asText().contains("zero_state")) {
            net.rnnClearPreviousState();
            INDArray inferred = net.feedForward(x, false).get(layers);
            assertTrue(maxAbsDiff(batchFirstToNcw(c.get("output")), inferred) < TOLERANCE, "inference output");
        }
    }

    private static double maxAbsDiff(INDArray expected, INDArray actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()),
                "shape");
        return expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static INDArray row(JsonNode values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).asDouble();
        }
        return Nd4j.createFromArray(v).reshape(1, v.length);
    }

    private static INDArray matrix(JsonNode rows) {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = row(rows.get(i)).toDoubleVector();
        }
        return Nd4j.createFromArray(v);
    }

    private static INDArray tensor3(JsonNode t) {
        double[][][] v = new double[t.size()][][];
        for (int i = 0; i < v.length; i++) {
            v[i] = matrix(t.get(i)).toDoubleMatrix();
        }
        return Nd4j.createFromArray(v);
    }

    /** PyTorch's batch-first [batch, T, features] to DL4J's [batch, features, T]. */
    private static INDArray batchFirstToNcw(JsonNode t) {
        return tensor3(t).permute(0, 2, 1).dup('f');
    }
}
