package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.data.DelayedPairs;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.TranslationEvaluator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sequence-to-sequence bundle translates as the run that saved it decoded, and refuses what it cannot read. */
class TranslateTest {
    @Test
    void theLoadedModelTranslatesExactlyAsTheTrainingRunDecoded() {
        TrainedModels.Trained trained = TrainedModels.translator();
        RnnModel model = RnnModel.load(trained.bundle());
        assertEquals(Bundle.FORMAT_VERSION, model.formatVersion());
        SplitData split = trained.run().data();
        assertEquals(split.vocabulary(), model.contract().vocabulary(), "the bundle keeps the input vocabulary");
        DelayedPairs form = DelayedPairs.fromInputVocabulary(model.contract().vocabulary());
        // the run's own decoding of the test split, on the network it trained
        TranslationEvaluator.Decoded decoded = TranslationEvaluator.decode(trained.run().training().network(), split.test(), form,
                model.config().task().translation());
        List<String> sources = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < decoded.sources().size(); i++) {
            StringBuilder source = new StringBuilder();
            for (int s : decoded.sources().get(i)) {
                source.append(form.source().get(s));
            }
            sources.add(source.toString());
            expected.add(String.join("", form.decodeTarget(decoded.translations().get(i))));
        }
        assertEquals(expected, model.translate(sources, 1));
        assertEquals(expected.get(0), model.translate(sources.get(0)));
        List<String> beam = model.translate(sources, 3);
        assertEquals(sources.size(), beam.size());
        double exactGreedy = TranslationEvaluator.metrics(decoded.translations(), decoded.targets()).get("exact_match");
        assertEquals(exactGreedy, trained.run().metrics().get("test").get("exact_match"), 1e-12, "metrics.json decodes the same way");
    }

    @Test
    void badSourcesAreRefusedWithTheirIndexAndWhy() {
        RnnModel model = RnnModel.load(TrainedModels.translator().bundle());
        UnknownSymbolException unknown = assertThrows(UnknownSymbolException.class, () -> model.translate(List.of("ab", "aB"), 1));
        assertEquals(1, unknown.sequenceIndex());
        assertEquals("sequence 1: symbol 'B' at position 1 is not in the model's vocabulary", unknown.getMessage());
        SequenceLengthException tooLong = assertThrows(SequenceLengthException.class, () -> model.translate("abcde"));
        assertTrue(tooLong.getMessage().contains("source of 5 symbols; the model takes at most 4 (task.translation.maxSourceLength)"),
                tooLong.getMessage());
        assertThrows(SequenceLengthException.class, () -> model.translate(""));
        UnsupportedByModelException other = assertThrows(UnsupportedByModelException.class,
                () -> RnnModel.load(TrainedModels.classifier().bundle()).translate("ab"));
        assertTrue(other.getMessage().startsWith("translate() needs a sequence-to-sequence model; this is a many-to-one classification model"),
                other.getMessage());
    }
}
