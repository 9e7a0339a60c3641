package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tab-separated pairs become delayed sequences whose source steps carry no loss; bad lines are named. */
class PairsLayoutTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path file, String translation) {
        String yaml = """
                name: t
                task: {topology: sequence-to-sequence, translation: {%s}}
                data:
                  format: text
                  path: %s
                  split: {train: 0.5, validation: 0.25, test: 0.25}
                  normalizer: none
                model: {embeddingSize: 4, layers: [{type: gru, units: 4}]}
                """.formatted(translation, file);
        return ConfigLoader.parse(yaml, "t.yaml", List.of());
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("pairs-" + System.nanoTime() + ".tsv");
        Files.writeString(file, content);
        return file;
    }

    private static String pairs(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("ab").append(i % 3 == 0 ? "c" : "").append('\t').append("xy").append('\n');
        }
        return s.toString();
    }

    @Test
    void sourceStepsAreMaskedAndTheTargetIsShiftedByOne() throws IOException {
        SplitData split = DatasetLoader.load(config(write("ba\tzyx\n".repeat(8)), ""));
        DelayedPairs form = DelayedPairs.fromInputVocabulary(split.vocabulary());
        assertEquals(List.of("a", "b", TextLayout.UNKNOWN), form.source());
        assertEquals(List.of("x", "y", "z", TextLayout.UNKNOWN), form.target());
        assertEquals(List.of(DelayedPairs.END, "x", "y", "z", TextLayout.UNKNOWN), split.classes());
        double[][] input = split.train().sequence(0);
        // b a <sep> z y x : the source, the separator, then the target fed back (separator + output class)
        assertArrayEquals(new double[]{1, 0, 3, 3 + 3, 3 + 2, 3 + 1}, java.util.Arrays.stream(input).mapToDouble(s -> s[0]).toArray());
        int[] labels = new int[input.length];
        for (int t = 0; t < labels.length; t++) {
            labels[t] = split.train().classAt(0, t);
        }
        assertArrayEquals(new int[]{-1, -1, 3, 2, 1, 0}, labels, "no label on the source; then z y x and the end");

        DataSet tensors = Tensors.dataSet(split.train(), split.outputs(), true);
        assertArrayEquals(new float[]{0, 0, 1, 1, 1, 1}, tensors.getLabelsMaskArray().getRow(0).toFloatVector(), "loss on target steps only");
    }

    @Test
    void padsShorterPairsAndMasksThePadding() throws IOException {
        SplitData split = DatasetLoader.load(config(write(pairs(12)), ""));
        DataSet tensors = Tensors.dataSet(split.train(), split.outputs(), true);
        for (int i = 0; i < split.train().size(); i++) {
            int length = split.train().sequence(i).length;
            float[] features = tensors.getFeaturesMaskArray().getRow(i).toFloatVector();
            float[] labels = tensors.getLabelsMaskArray().getRow(i).toFloatVector();
            int sourceLength = length - 3;   // 2 or 3 source symbols, <sep>, x, y
            for (int t = 0; t < features.length; t++) {
                assertEquals(t < length ? 1f : 0f, features[t], "feature mask, step " + t);
                assertEquals(t >= sourceLength && t < length ? 1f : 0f, labels[t], "label mask, step " + t);
            }
        }
    }

    @Test
    void badLinesAreNamed() throws IOException {
        Path empty = write("ab\txy\n\ncd\txy\n");
        assertMessage(empty + ":2: empty line", config(empty, ""));
        Path noTab = write("ab\txy\nab xy\n");
        assertMessage(noTab + ":2: no tab between the source and the target in 'ab xy'", config(noTab, ""));
        Path emptyTarget = write("ab\txy\nab\t\n");
        assertMessage(emptyTarget + ":2: empty target after the tab", config(emptyTarget, ""));
        Path longTarget = write("ab\txy\nab\txyxyxy\n");
        assertMessage(longTarget + ":2: the target has 6 symbols, more than task.translation.maxTargetLength = 5",
                config(longTarget, "maxTargetLength: 5"));
        Path longSource = write("abcdef\txy\nab\txy\n");
        assertMessage(longSource + ":1: the source has 6 symbols, more than task.translation.maxSourceLength = 4",
                config(longSource, "maxSourceLength: 4"));
    }

    @Test
    void aSymbolTheTrainingSplitNeverShowedIsRejectedOrReadAsUnknownAsConfigured() throws IOException {
        // lines 41-50 each hold a letter no other line has; those the split puts outside training are unknown there
        StringBuilder lines = new StringBuilder(pairs(40));
        for (char c = 'q'; c < 'q' + 10; c++) {
            lines.append('a').append(c).append("b\txy\n");
        }
        Path file = write(lines.toString());
        SplitData mapped = DatasetLoader.load(config(file, "unknownSymbols: unknown"));
        List<String> known = DelayedPairs.fromInputVocabulary(mapped.vocabulary()).source();
        assertTrue(known.stream().filter(x -> x.charAt(0) >= 'q').count() < 10, "some of the ten letters are outside training: " + known);
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(config(file, "")));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(file.toString())
                + ":(4[1-9]|50): source symbol '([q-z])' at position 1 is not in the source vocabulary").matcher(e.getMessage());
        assertTrue(m.lookingAt(), e.getMessage());
        assertFalse(known.contains(m.group(2)), "the symbol named is one training never showed");
        assertTrue(e.getMessage().contains("task.translation.unknownSymbols: unknown"), e.getMessage());
    }

    private static void assertMessage(String start, LoadedConfig config) {
        DataException e = assertThrows(DataException.class, () -> DatasetLoader.load(config));
        assertTrue(e.getMessage().startsWith(start), "expected '" + start + "', got: " + e.getMessage());
    }
}
