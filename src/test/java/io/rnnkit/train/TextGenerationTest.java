package io.rnnkit.train;

import io.rnnkit.TestData;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.data.TextLayout;
import io.rnnkit.nn.TokenSampler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Character-level generation on real names. The bar: a validation loss under 2.45 nats per character, what
 * a bigram model reaches on this data set (Karpathy's makemore, lecture 2); a unigram model scores about 2.9.
 */
@Tag("learning")
class TextGenerationTest {
    @TempDir
    static Path dir;
    /** configs/names-lstm.yaml for 2 epochs, once per seed of {@link Seeds#STUDY}. */
    static List<ExperimentRunner.RunResult> runs;
    /** The seed-42 run (the config's own seed), whose bundle the sampling tests use. */
    static ExperimentRunner.RunResult run;
    static TokenSampler sampler;

    @BeforeAll
    static void train() {
        TestData.require("names/names.txt");
        runs = Seeds.train("names-lstm.yaml", dir, "names", "training.epochs=2");
        run = runs.get(Seeds.STUDY.indexOf(42));
        Bundle bundle = Bundle.read(run.directory().resolve("model.zip"));
        List<String> vocabulary = bundle.contract().classes();
        Map<String, Integer> index = TextLayout.index(vocabulary);
        sampler = new TokenSampler(bundle.network(), vocabulary, index, index.get(TextLayout.UNKNOWN));
    }

    /**
     * Beyond the bigram model, the bar of issue 22: at most 2.05 nats per character after 2 epochs (makemore's RNN
     * and GRU reach about 2.0-2.1). configs/names-lstm.yaml measured 2.036 / 2.032 / 2.042 with seeds 1 / 7 / 42
     * (batches of 32 and a cosine schedule; batches of 64 at a constant rate gave 2.06, docs/small-data-study.md).
     * Checked on each seed: the three runs take 40-48 s of CPU each.
     */
    @Test
    void namesAreLearntBetterThanABigramModelOnEverySeed() {
        double[] loss = Seeds.figures("names-lstm, 2 epochs,", runs, "validation", "loss");
        System.out.println("names test (seed 42) " + run.metrics().get("test").values());
        Seeds.assertEachAtMost("names validation loss (nats per character; issue 22's bar, the bigram model 2.45)", loss, 2.05);
    }

    /**
     * configs/names-gru.yaml for one epoch (to keep the suite's time down): measured 2.15 nats per character
     * (2.07 after two epochs, the LSTM above 2.06); the bar is 2.3, between that and the bigram model's 2.45, so
     * a GRU that learns no more than character pairs fails. Its bundle samples names through rnnkit's GRU.
     */
    @Test
    void namesGruLearnsMoreThanCharacterPairs() {
        ExperimentRunner.RunResult gru = ExperimentRunner.run(ConfigLoader.load(Path.of("configs/names-gru.yaml"),
                List.of("training.epochs=1")), dir.resolve("gru"), TrainingProgress.SILENT);
        double loss = gru.metrics().get("validation").get("loss");
        System.out.println("names-gru validation loss " + loss + " nats/char; test " + gru.metrics().get("test").values());
        assertTrue(loss < 2.3, "validation loss " + loss + " nats per character is not under 2.3");
        io.rnnkit.bundle.RnnModel model = io.rnnkit.bundle.RnnModel.load(gru.directory().resolve("model.zip"));
        String name = model.generate("", 30, 1.0, 0, 11);
        assertTrue(name.matches("[a-z]+"), "a sampled name: '" + name + "'");
        assertEquals(name, model.generate("", 30, 1.0, 0, 11));
    }

    @Test
    void samplesAreReproducibleNameLikeAndEndAtTheLineBoundary() {
        List<String> start = List.of(TextLayout.BOUNDARY);
        List<String> a = sampler.sample(start, 30, TextLayout.BOUNDARY, 1.0, 0, 7);
        assertEquals(a, sampler.sample(start, 30, TextLayout.BOUNDARY, 1.0, 0, 7), "the same RNG seed gives the same name");
        int differing = 0;
        for (int s = 1; s <= 10; s++) {
            List<String> name = sampler.sample(start, 30, TextLayout.BOUNDARY, 1.0, 0, s);
            assertTrue(name.size() < 30, "a sampled name ends at a line break: " + name);
            assertTrue(String.join("", name).matches("[a-z]*"), "names are lower-case letters: " + name);
            differing += name.equals(a) ? 0 : 1;
        }
        assertTrue(differing >= 8, "different seeds give different names");
    }

    @Test
    void greedyDecodingIgnoresTheRandomSeed() {
        List<String> start = List.of(TextLayout.BOUNDARY, "m");
        List<String> top1 = sampler.sample(start, 30, TextLayout.BOUNDARY, 1.0, 1, 1);
        assertEquals(top1, sampler.sample(start, 30, TextLayout.BOUNDARY, 1.0, 1, 99), "top-k 1 is greedy");
        assertEquals(top1, sampler.sample(start, 30, TextLayout.BOUNDARY, 1e-4, 0, 5), "a temperature near 0 is greedy too");
        assertNotEquals(0, top1.size());
    }

    @Test
    void applicationsGenerateThroughRnnModel() {
        io.rnnkit.bundle.RnnModel model = io.rnnkit.bundle.RnnModel.load(run.directory().resolve("model.zip"));
        String a = model.generate("em", 20, 0.8, 0, 3);
        assertTrue(a.startsWith("em") && a.length() > 2 && !a.contains("\n"), a);
        assertEquals(a, model.generate("em", 20, 0.8, 0, 3), "the same RNG seed gives the same text");
        io.rnnkit.bundle.UnknownSymbolException e = org.junit.jupiter.api.Assertions.assertThrows(io.rnnkit.bundle.UnknownSymbolException.class,
                () -> model.generate("eZ", 5, 1.0, 0, 1));
        assertEquals("Z", e.symbol());
        assertEquals(1, e.position());
    }
}
