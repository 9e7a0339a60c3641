package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentence classification on the UCI Sentiment Labelled Sentences: test accuracy at least 0.75 averaged over
 * the three sources (amazon_cells, imdb, yelp), one model per source, words through an embedding, padding masked.
 */
class SentimentTest {
    @TempDir
    Path dir;

    @Test
    void threeSourcesAverageAtLeastSeventyFivePercent() {
        double sum = 0;
        for (String source : List.of("amazon_cells", "imdb", "yelp")) {
            TestData.require("sentiment_labelled_sentences/" + source + "_labelled.txt");
            ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/sentiment-lstm.yaml"),
                            List.of("data.path=${datasets}/sentiment_labelled_sentences/" + source + "_labelled.txt")),
                    dir.resolve(source), TrainingProgress.SILENT);
            double accuracy = r.metrics().get("test").get("accuracy");
            System.out.println("sentiment " + source + ": test accuracy " + accuracy + ", best epoch " + r.training().bestEpoch());
            sum += accuracy;
        }
        double mean = sum / 3;
        assertTrue(mean >= 0.75, "mean test accuracy over the three sources " + mean + " < 0.75");
    }
}
