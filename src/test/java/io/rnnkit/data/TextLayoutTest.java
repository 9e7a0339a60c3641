package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.TextUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextLayoutTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path file, String topology, String text) {
        return ConfigLoader.parse("""
                name: t
                task: {topology: %s}
                data: {format: text, path: %s, normalizer: none, text: %s, split: {train: 0.6, validation: 0.2, test: 0.2}}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                """.formatted(topology, file, text), "t.yaml", List.of());
    }

    @Test
    void wordsAndCharacters() {
        assertEquals(List.of("Don't", "stop", ",", "it's", "3", "p", ".", "m", "."), TextLayout.tokenize("Don't stop, it's 3 p.m.", TextUnit.WORD));
        assertEquals(List.of("a", " ", "é", "😀"), TextLayout.tokenize("a é😀", TextUnit.CHARACTER));
    }

    @Test
    void linesForGenerationPredictTheNextCharacterBetweenBoundaries() throws IOException {
        Path f = Files.writeString(dir.resolve("names.txt"), "ab\nba\n\nabc\naa\nbb\n");
        SplitData data = DatasetLoader.load(config(f, "one-to-many", "{unit: character, mode: lines}"));
        List<String> v = data.vocabulary();
        assertEquals(TextLayout.BOUNDARY, v.get(0));
        assertEquals(TextLayout.UNKNOWN, v.get(v.size() - 1));
        assertEquals(v, data.classes(), "a generation model's outputs are its vocabulary");
        assertEquals(5, data.train().size() + data.validation().size() + data.test().size(), "blank lines are skipped");
        for (SequenceSet set : List.of(data.train(), data.validation(), data.test())) {
            for (int i = 0; i < set.size(); i++) {
                double[][] in = set.sequence(i);
                assertEquals(0, (int) in[0][0], "every line starts at the boundary");
                assertEquals(0, set.classAt(i, in.length - 1), "and ends by predicting it");
                for (int t = 1; t < in.length; t++) {
                    assertEquals((int) in[t][0], set.classAt(i, t - 1), "the target of step t-1 is the input of step t");
                }
            }
        }
    }

    @Test
    void streamIsCutChronologicallyAndUnseenTokensAreUnknown() throws IOException {
        Path f = Files.writeString(dir.resolve("book.txt"), "aaaaaaaaaaaaaaaaaaaabbbbbzzzzz");
        SplitData data = DatasetLoader.load(config(f, "one-to-many", "{unit: character, mode: stream, sequenceLength: 4}"));
        assertEquals(List.of("\n", "a", TextLayout.UNKNOWN).subList(1, 3), data.vocabulary().subList(data.vocabulary().size() - 2, data.vocabulary().size()));
        int unknown = data.vocabulary().indexOf(TextLayout.UNKNOWN);
        assertEquals(unknown, (int) data.test().sequence(0)[0][0], "z never occurs in the training text");
        assertEquals(4, data.train().size(), "19 training characters hold 4 chunks of 4+1 overlapping by one");
    }

    @Test
    void labelledLinesClassifyWithVocabularyFromTrainingOnly() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append(i % 2 == 0 ? "good fine film\t1\n" : "bad awful film\t0\n");
        }
        Path f = Files.writeString(dir.resolve("s.txt"), text);
        SplitData data = DatasetLoader.load(config(f, "many-to-one", "{unit: word, labelSeparator: \"\\t\", lowercase: true}"));
        assertEquals(List.of("0", "1"), data.classes());
        assertTrue(data.vocabulary().containsAll(List.of("good", "bad", "film")), data.vocabulary().toString());
        assertEquals(3, data.maxLength());
    }

    /** 20 labelled lines whose words all start with {@code prefix}, so a line's file shows in its tokens. */
    private Path sentences(String name, String prefix) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append(prefix).append(i % 2 == 0 ? "good " : "bad ").append(prefix).append(i).append('\t').append(i % 2).append('\n');
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private static final String LABELLED = "{unit: word, labelSeparator: \"\\t\"}";

    private LoadedConfig pooled(Path... files) {
        return ConfigLoader.parse("""
                name: t
                seed: 3
                task: {topology: many-to-one}
                data: {format: text, paths: %s, normalizer: none, text: %s, split: {train: 0.6, validation: 0.2, test: 0.2}}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                """.formatted(List.of(files), LABELLED), "t.yaml", List.of());
    }

    /** A split's sequences written back as words. */
    private static List<String> words(SequenceSet set, List<String> vocabulary) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            out.add(java.util.Arrays.stream(set.sequence(i)).map(step -> vocabulary.get((int) step[0])).collect(java.util.stream.Collectors.joining(" "))
                    + " -> " + set.classOf(i));
        }
        return out;
    }

    @Test
    void pooledFilesAreEachSplitAsTheyAreAloneAndTheirTestLinesKeepTheirFile() throws IOException {
        Path a = sentences("a.txt", "a");
        Path b = sentences("b.txt", "b");
        SplitData pooled = DatasetLoader.load(pooled(a, b));
        SplitData[] alone = {DatasetLoader.load(pooled(a)), DatasetLoader.load(pooled(b))};
        assertEquals(List.of(new SplitData.Source("a.txt", 4), new SplitData.Source("b.txt", 4)), pooled.sources());
        assertEquals(List.of(), alone[0].sources(), "one file is no pool");
        List<String> test = new java.util.ArrayList<>();
        List<String> train = new java.util.ArrayList<>();
        for (SplitData one : alone) {
            test.addAll(words(one.test(), one.vocabulary()));
            train.addAll(words(one.train(), one.vocabulary()));
        }
        // a line's numbered word occurs once, so it is unknown in every test line, alone or pooled
        assertEquals(test, words(pooled.test(), pooled.vocabulary()));
        assertEquals(train, words(pooled.train(), pooled.vocabulary()));
        java.util.Map<String, SequenceSet> bySource = pooled.testBySource();
        assertEquals(List.of("a.txt", "b.txt"), List.copyOf(bySource.keySet()));
        assertTrue(words(bySource.get("b.txt"), pooled.vocabulary()).stream().allMatch(line -> line.startsWith("b")), bySource.toString());
        assertEquals(24, pooled.train().size());
    }

    @Test
    void pooledFilesAreForTextClassificationInPlaceOfOnePath() throws IOException {
        Path a = sentences("a.txt", "a");
        Path sameName = sentences("b.txt", "b").resolveSibling(Files.createDirectory(dir.resolve("other")).resolve("a.txt"));
        Files.copy(a, sameName);
        List<String> problems = io.rnnkit.config.Yaml.problems("""
                name: t
                task: {topology: one-to-many}
                data: {format: text, path: %s, paths: [%s, %s, %s], normalizer: none}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}
                """.formatted(a, a, dir.resolve("missing.txt"), sameName));
        assertEquals(List.of("test.yaml:3: data.paths: names the files in place of data.path; give one of them",
                "test.yaml:3: data.paths: pools files for text classification (task: many-to-one classification) only; give one file in data.path",
                "test.yaml:3: data.paths[1]: data file " + dir.resolve("missing.txt") + " does not exist" + io.rnnkit.config.DataPaths.missingHint(dir.resolve("missing.txt").toString()),
                "test.yaml:3: data.paths[2]: another file is also named a.txt: metrics.json scores each file under its name"), problems);
        List<String> rows = io.rnnkit.config.Yaml.problems("""
                name: t
                data: {format: rows, paths: [%s], labels: {from: last-column}}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(a));
        assertTrue(rows.contains("test.yaml:2: data.paths: pools files of format: text only; format: rows reads data.path"), rows.toString());
    }

    @Test
    void aLineWithoutItsSeparatorIsNamed() throws IOException {
        Path f = Files.writeString(dir.resolve("s.txt"), "good\t1\nno label here\n");
        String message = assertThrows(BadInputException.class,
                () -> DatasetLoader.load(config(f, "many-to-one", "{unit: word, labelSeparator: \"\\t\"}"))).getMessage();
        assertEquals(f + ":2: no separator \\t between the text and its class (data.text.labelSeparator)", message);
    }

    @Test
    void generationRefusesBidirectionalLayers() {
        List<String> problems = io.rnnkit.config.Yaml.problems("""
                name: t
                task: {topology: one-to-many}
                data: {format: text, path: pom.xml, normalizer: none}
                model: {embeddingSize: 4, layers: [{type: lstm, units: 4}, {type: lstm, units: 4, bidirectional: true}]}
                """);
        assertEquals(List.of("test.yaml:4: model.layers[1].bidirectional: generation runs one step at a time, which a bidirectional layer"
                + " cannot (its backward half needs the whole sequence first); use a one-way layer"), problems);
    }

    @Test
    void textNeedsAnEmbeddingAndNoScaling() {
        List<String> problems = io.rnnkit.config.Yaml.problems("""
                name: t
                task: {topology: one-to-many}
                data: {format: text, path: pom.xml}
                model: {layers: [{type: lstm, units: 4}]}
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("model.embeddingSize: text is fed as token indices through an embedding layer"), problems.get(0));
        assertTrue(problems.get(1).contains("data.normalizer: token indices are not scaled; set data.normalizer: none"), problems.get(1));
    }
}
