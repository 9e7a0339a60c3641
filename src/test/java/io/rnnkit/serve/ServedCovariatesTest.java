package io.rnnkit.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.RnnModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.rnnkit.serve.ModelServerTest.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A forecaster with known-future covariates served: {@code "future"} gives the in-process forecasts; without it, 400 naming the field. */
class ServedCovariatesTest {
    @Test
    void theForecastEndpointTakesTheForecastStepsKnownFutureValues() throws Exception {
        RnnModel model = RnnModel.load(TrainedModels.covariateForecaster().bundle());
        double[][] history = TrainedModels.sequences(TrainedModels.covariateForecaster().run().data().test()).get(0);
        double[][] future = {{1, 0.5, 0.5}, {0, -0.5, 0.5}};
        try (ModelServer server = ModelServer.start(Map.of("sales", model), ServerOptions.defaults(0).withThreads(1, 4))) {
            ObjectNode request = JSON.createObjectNode();
            request.set("inputs", JSON.valueToTree(List.<double[][]>of(history)));
            request.set("future", JSON.valueToTree(List.<double[][]>of(future)));
            JsonNode out = ModelServerTest.post(server, "/v1/models/sales:predict", request, 200).get("outputs");
            assertArrayEquals(model.forecast(history, future), JSON.treeToValue(out.get(0), double[].class), 1e-9);

            request.set("future", JSON.valueToTree(List.<double[][]>of(new double[][]{{1, 0.5, 0.5}})));
            JsonNode short1 = ModelServerTest.post(server, "/v1/models/sales:predict", request, 400);
            assertEquals("future[0]", short1.get("field").asText());
            assertTrue(short1.get("error").asText().contains("2 forecast steps, but 1 step(s) were given"), short1.toString());
            request.remove("future");
            JsonNode none = ModelServerTest.post(server, "/v1/models/sales:predict", request, 400);
            assertTrue(none.get("error").asText().contains("use forecast(history, future)"), none.toString());
        }
    }
}
