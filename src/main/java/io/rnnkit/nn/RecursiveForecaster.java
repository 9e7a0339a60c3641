package io.rnnkit.nn;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Multi-step forecasts from a next-step model ({@code data.window.strategy: recursive}), one step at a time
 * with {@link MultiLayerNetwork#rnnTimeStep}: the windows are read in one call, which leaves each window's
 * recurrent state in the layers and gives ŷ₁ at the last step; then for h = 2 … H the forecast ŷ_{h−1} is fed
 * in as the next observation and the state carried on, so each step costs one step of the network rather than
 * a pass over the whole window again:
 * <pre>
 * s_L, ŷ₁ = f(y₁ … y_L)          ŷ_h = g(s_{L+h−2}, ŷ_{h−1}),  h = 2 … H
 * </pre>
 * The network must answer at every step (an {@code RnnOutputLayer}) and read one value per step. Its state is
 * cleared before and after, so the network can serve the next call.
 */
public final class RecursiveForecaster {
    private RecursiveForecaster() {
    }

    /**
     * @param net      the next-step network (not shared with other threads during the call)
     * @param windows  the windows as the network reads them (scaled), {@code [n, 1, L]}
     * @param horizon  steps to forecast, at least 1
     * @param feedBack an output of the network (in the scale of its targets) as the next input (in the scale of its features)
     * @return {@code [n][horizon]} outputs of the network, in the scale of its targets
     */
    public static float[][] forecast(MultiLayerNetwork net, INDArray windows, int horizon, DoubleUnaryOperator feedBack) {
        return forecast(List.of(net), windows, horizon, feedBack, outputs -> outputs.get(0));
    }

    /**
     * {@link #forecast(MultiLayerNetwork, INDArray, int, DoubleUnaryOperator)} by an ensemble: every network steps on, and
     * the combination of their outputs at each step is both that step's forecast and the input fed back to all of them.
     *
     * @param combine the networks' outputs at one step to the ensemble's
     */
    public static float[][] forecast(List<MultiLayerNetwork> nets, INDArray windows, int horizon, DoubleUnaryOperator feedBack,
                                     Function<List<INDArray>, INDArray> combine) {
        int n = (int) windows.size(0);
        long last = windows.size(2) - 1;
        float[][] out = new float[n][horizon];
        nets.forEach(MultiLayerNetwork::rnnClearPreviousState);
        try {
            INDArray first = combine.apply(nets.stream().map(net -> net.rnnTimeStep(windows)).toList());
            for (int i = 0; i < n; i++) {
                out[i][0] = first.getFloat(i, 0, last);
            }
            INDArray step = Nd4j.create(DataType.FLOAT, n, 1);
            for (int h = 1; h < horizon; h++) {
                for (int i = 0; i < n; i++) {
                    step.putScalar(i, 0, feedBack.applyAsDouble(out[i][h - 1]));
                }
                INDArray next = combine.apply(nets.stream().map(net -> net.rnnTimeStep(step)).toList());
                for (int i = 0; i < n; i++) {
                    out[i][h] = next.getFloat(i, 0);
                }
            }
            return out;
        } finally {
            nets.forEach(MultiLayerNetwork::rnnClearPreviousState);
        }
    }
}
