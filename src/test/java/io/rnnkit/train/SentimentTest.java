package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.TextLayout;
import io.rnnkit.eval.SplitMetrics;
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
 * Sentence classification on the UCI Sentiment Labelled Sentences: one model trained on the three sources pooled
 * (amazon_cells, imdb, yelp; words through an embedding, padding masked), whose test accuracy averaged over the three
 * sources' own test sentences is at least 0.80 (issue 22) on each of {@link #SEEDS}.
 */
@Tag("learning")
class SentimentTest {
    /** Two of the study's seeds: a pooled run costs what the three per-source runs this test once trained did. */
    private static final List<Integer> SEEDS = List.of(42, 7);
    /** No source may lag far behind the others (imdb, the hardest, is the lowest on each seed measured). */
    private static final double MIN_SOURCE = 0.75;
    private static final List<String> SOURCES = List.of("yelp_labelled.txt", "amazon_cells_labelled.txt", "imdb_labelled.txt");

    @TempDir
    Path dir;

    @Test
    void pooledSourcesAverageAtLeastEightyPercentOnEachSeed() throws IOException {
        SOURCES.forEach(source -> TestData.require("sentiment_labelled_sentences/" + source));
        ExperimentRunner.RunResult first = null;
        for (int seed : SEEDS) {
            ExperimentRunner.RunResult r = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/sentiment-pooled-lstm.yaml"),
                    List.of("seed=" + seed)), dir.resolve("seed-" + seed), TrainingProgress.SILENT);
            SplitMetrics test = r.metrics().get("test");
            assertEquals(SOURCES, List.copyOf(test.sources().keySet()));
            double[] accuracy = test.sources().values().stream().mapToDouble(m -> m.get("accuracy")).toArray();
            double mean = Arrays.stream(accuracy).average().orElseThrow();
            System.out.println("sentiment pooled, seed " + seed + ": test accuracy " + test.sources().keySet() + " " + Arrays.toString(accuracy)
                    + ", mean " + mean + ", best epoch " + r.training().bestEpoch());
            // each source gives 150 test sentences, so the pooled accuracy is the mean of the three
            assertEquals(3 * 150, r.data().test().size());
            assertEquals(test.get("accuracy"), mean, 1e-9);
            assertTrue(mean >= 0.80, "seed " + seed + ": mean test accuracy over the three sources " + mean + " < 0.80");
            assertTrue(Arrays.stream(accuracy).allMatch(a -> a >= MIN_SOURCE), "seed " + seed + ": a source below " + MIN_SOURCE + ": "
                    + Arrays.toString(accuracy));
            first = first == null ? r : first;
        }
        classifiesRawTextFromItsBundle(first);
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
