package io.rnnkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.bundle.RnnModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.rnnkit.serve.ModelServerTest.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A quantile forecaster served: {@code "intervals": true} gives the in-process point forecasts and quantiles; faults name their field. */
class ServedIntervalsTest {
    static ModelServer server;
    static RnnModel quantiles;

    @BeforeAll
    static void start() throws java.io.IOException {
        quantiles = RnnModel.load(TrainedModels.quantileForecaster().bundle());
        server = ModelServer.start(Map.of("quantiles", quantiles, "point", RnnModel.load(TrainedModels.forecaster().bundle())),
                ServerOptions.defaults(0).withThreads(2, 8).withMaxBodyBytes(64 * 1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode predict(String model, ObjectNode body, int status) throws Exception {
        return ModelServerTest.post(server, "/v1/models/" + model + ":predict", body, status);
    }

    @Test
    void intervalsEqualTheInProcessCalls() throws Exception {
        List<double[][]> windows = TrainedModels.sequences(TrainedModels.quantileForecaster().run().data().test()).subList(0, 3);
        ObjectNode request = JSON.createObjectNode().put("intervals", true);
        request.set("inputs", JSON.valueToTree(windows));
        JsonNode out = predict("quantiles", request, 200).get("outputs");
        List<double[]> points = quantiles.predict(windows);
        List<Predictor.Intervals> intervals = quantiles.forecastIntervals(windows);
        for (int i = 0; i < windows.size(); i++) {
            assertArrayEquals(points.get(i), JSON.treeToValue(out.get(i).get("forecast"), double[].class));
            double[][] q = intervals.get(i).quantiles();
            assertArrayEquals(new double[]{q[0][0], q[1][0]}, JSON.treeToValue(out.get(i).get("quantiles").get("0.1"), double[].class));
            assertArrayEquals(new double[]{q[0][2], q[1][2]}, JSON.treeToValue(out.get(i).get("quantiles").get("0.9"), double[].class));
        }
        // without the flag, the point forecasts as for any forecaster
        ObjectNode plain = JSON.createObjectNode();
        plain.set("input", JSON.valueToTree(windows.get(0)));
        assertArrayEquals(points.get(0), JSON.treeToValue(predict("quantiles", plain, 200).get("output"), double[].class));

        ObjectNode longer = request.deepCopy().put("horizon", 3);
        assertEquals("horizon", predict("quantiles", longer, 400).get("field").asText());
        ObjectNode point = JSON.createObjectNode().put("intervals", true);
        point.set("input", JSON.valueToTree(windows.get(0)));
        JsonNode refused = predict("point", point, 400);
        assertEquals("intervals", refused.get("field").asText());
        assertTrue(refused.get("error").asText().contains("quantile or gaussian head"), refused.toString());
    }
}
