package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.TextLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentence classification on the UCI Sentiment Labelled Sentences: test accuracy at least 0.75 averaged over
 * the three sources (amazon_cells, imdb, yelp), one model per source, words through an embedding, padding masked.
 */
@Tag("learning")
class SentimentTest {
    @TempDir
    Path dir;

    @Test
    void threeSourcesAverageAtLeastSeventyFivePercent() throws IOException {
        double sum = 0;
        ExperimentRunner.RunResult last = null;
        for (String source : List.of("amazon_cells", "imdb", "yelp")) {
            TestData.require("sentiment_labelled_sentences/" + source + "_labelled.txt");
            ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/sentiment-lstm.yaml"),
                            List.of("data.path=${datasets}/sentiment_labelled_sentences/" + source + "_labelled.txt")),
                    dir.resolve(source), TrainingProgress.SILENT);
            double accuracy = r.metrics().get("test").get("accuracy");
            System.out.println("sentiment " + source + ": test accuracy " + accuracy + ", best epoch " + r.training().bestEpoch());
            sum += accuracy;
            last = r;
        }
        double mean = sum / 3;
        assertTrue(mean >= 0.75, "mean test accuracy over the three sources " + mean + " < 0.75");
        classifiesRawTextFromItsBundle(last);
    }

    /**
     * The bundle carries the vocabulary, so an application classifies raw sentences: each encoded test sentence,
     * written back as words (with a word the vocabulary lacks where training read the unknown token), gets the
     * probabilities of the encoded sentence and the evaluator's test accuracy; {@code rnnkit predict} reads a
     * text file the same way.
     */
    private void classifiesRawTextFromItsBundle(ExperimentRunner.RunResult r) throws IOException {
        Path bundle = r.directory().resolve("model.zip");
        RnnModel model = RnnModel.load(bundle);
        List<String> vocabulary = model.contract().vocabulary();
        assertEquals(r.data().vocabulary(), vocabulary);
        String unseen = "qzxjvw";
        assertFalse(vocabulary.contains(unseen));
        SequenceSet test = r.data().test();
        int right = 0;
        int unknown = 0;
        for (int i = 0; i < test.size(); i++) {
            String text = Arrays.stream(test.sequence(i)).map(step -> vocabulary.get((int) step[0]))
                    .map(token -> token.equals(TextLayout.UNKNOWN) ? unseen : token).collect(Collectors.joining(" "));
            unknown += text.contains(unseen) ? 1 : 0;
            Classification fromText = model.classify(text);
            assertArrayEquals(model.classify(test.sequence(i)).probabilities(), fromText.probabilities(), 1e-6, text);
            right += fromText.label().equals(r.data().classes().get(test.classOf(i))) ? 1 : 0;
        }
        assertTrue(unknown > 0, "some test sentences hold words outside the training vocabulary");
        assertEquals(r.metrics().get("test").get("accuracy"), (double) right / test.size(), 1e-9);
        assertArrayEquals(model.classify("the food was great").probabilities(), model.classify("The FOOD was GREAT").probabilities(), 1e-9,
                "the config lower-cases text, so the model does too");
        assertEquals(3, model.classifyTexts(List.of("good", "bad", "")).size());

        Path input = Files.writeString(r.directory().resolve("sentences.txt"), "The food was great!\n\nawful service, never again\tx\nterrible\t0\n");
        Path output = r.directory().resolve("sentences.csv");
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", bundle.toString(), "--input", input.toString(), "--output", output.toString());
        assertEquals(0, o.code(), o.err());
        List<String> rows = Files.readAllLines(output);
        assertEquals(List.of("line", "label", "p_0", "p_1"), List.of(rows.get(0).split(",")));
        assertEquals(4, rows.size(), "blank lines are skipped: " + rows);
        String[] labelled = rows.get(3).split(",");
        assertEquals("4", labelled[0]);
        // to FLOAT precision: the file goes through the network as one batch (matrix products), "terrible" alone
        // as one row (matrix-vector products), which round differently
        assertEquals(model.classify("terrible").probabilities()[1], Double.parseDouble(labelled[3]), 1e-6, "a training line's class is not read as text");
        assertEquals(model.classify("awful service, never again\tx").label(), rows.get(2).split(",")[1],
                "a separator followed by no class is part of the text");
    }
}
