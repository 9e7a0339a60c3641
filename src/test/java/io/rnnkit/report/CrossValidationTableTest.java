package io.rnnkit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's cross-validation table: the choice, then per metric its mean, sd and each fold's value, as metrics.json has them. */
class CrossValidationTableTest {
    @Test
    void showsTheChoiceAndEveryFold() throws Exception {
        String html = RunReport.crossValidationTable(new ObjectMapper().readTree("""
                {"folds": 3, "metric": "accuracy", "smoothing": 3, "epochs": 20, "mean": 0.83, "std": 0.068,
                 "metrics": {"accuracy": {"mean": 0.8304, "std": 0.0683, "perFold": [0.7941, 0.9091, 0.7879]},
                             "loss": {"mean": 0.3963, "std": null, "perFold": [0.49, 0.28, 0.41]}}}
                """));
        assertTrue(html.contains("3 folds of the training data chose 20 epochs (validation accuracy smoothed over 3)"), html);
        assertTrue(html.contains("<th>fold 3</th>"), html);
        assertTrue(html.contains("<tr><td>accuracy</td><td>0.8304</td><td>0.0683</td><td>0.7941</td><td>0.9091</td><td>0.7879</td></tr>"), html);
        assertTrue(html.contains("<tr><td>loss</td><td>0.3963</td><td></td><td>0.4900</td>"), "an undefined sd is left empty: " + html);
    }
}
