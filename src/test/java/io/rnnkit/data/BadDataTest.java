package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad data gets one message naming the file and line (or the YAML path) and what was expected. */
class BadDataTest {
    @TempDir
    Path dir;

    private LoadedConfig rows(Path file, String extra) {
        String yaml = """
                name: t
                data:
                  format: rows
                  path: %s
                  delimiter: comma
                  labels: {from: first-column%s}
                  split: {train: 0.5, validation: 0.25, test: 0.25, stratify: false}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(file, extra);
        return ConfigLoader.parse(yaml, "t.yaml", List.of());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private String failure(LoadedConfig config) {
        return assertThrows(BadInputException.class, () -> DatasetLoader.load(config)).getMessage();
    }

    @Test
    void goodRowsLoad() throws IOException {
        Path f = write("ok.csv", "a,1,2,3\nb,4,5,6\na,7,8,9\nb,1,1,1\n");
        SplitData data = DatasetLoader.load(rows(f, ""));
        assertEquals(List.of("a", "b"), data.classes());
        assertEquals(2 + 1 + 1, data.train().size() + data.validation().size() + data.test().size());
        assertEquals(3, data.maxLength());
    }

    @Test
    void raggedRow() throws IOException {
        Path f = write("ragged.csv", "a,1,2,3\nb,4,5\n");
        assertEquals(f + ":2: ragged row: 3 fields, but the first row (line 1) has 4; every sequence in this layout must have the same length",
                failure(rows(f, "")));
    }

    @Test
    void nonNumericValue() throws IOException {
        Path f = write("text.csv", "a,1,2,3\nb,4,x5,6\n");
        assertEquals(f + ":2: column 3: 'x5' is not a number", failure(rows(f, "")));
    }

    @Test
    void notANumberInTheData() throws IOException {
        Path f = write("nan.csv", "a,1,2,3\na,1,2,3\nb,4,NaN,6\n");
        // Java's spelling of NaN is no number in a data file; a missing value is declared as such
        assertEquals(f + ":3: column 3: 'NaN' is not a number; if it marks a missing value, declare it in data.missing.markers (format: series)",
                failure(rows(f, "")));
    }

    @Test
    void labelOutsideTheDeclaredClasses() throws IOException {
        Path f = write("labels.csv", "a,1,2,3\nb,4,5,6\nc,7,8,9\n");
        assertEquals(f + ":3: label 'c' is not one of the classes [a, b] (declared in data.labels.classes)",
                failure(rows(f, ", classes: [a, b]")));
    }

    @Test
    void testFileLabelUnknownToTraining() throws IOException {
        Path train = write("train.csv", "1,1,2\n1,1,2\n1,1,2\n1,1,2\n-1,3,4\n-1,3,4\n-1,3,4\n-1,3,4\n");
        Path test = write("test.csv", "1.0000000e+00,1,2\n2,3,4\n");
        String yaml = """
                name: t
                data:
                  format: rows
                  path: %s
                  testPath: %s
                  delimiter: comma
                  labels: {from: first-column}
                  split: {train: 0.5, validation: 0.5, test: 0}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(train, test);
        String message = failure(ConfigLoader.parse(yaml, "t.yaml", List.of()));
        assertEquals(test + ":2: label '2' is not one of the classes [-1, 1] (the classes found in " + train + ")", message);
    }

    @Test
    void emptySplitNamesTheFraction() throws IOException {
        Path f = write("few.csv", "a,1,2\nb,3,4\na,1,2\nb,3,4\n");
        String yaml = """
                name: t
                data:
                  format: rows
                  path: %s
                  delimiter: comma
                  labels: {from: first-column}
                  split: {train: 0.9, validation: 0.05, test: 0.05, stratify: false}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(f);
        String message = failure(ConfigLoader.parse(yaml, "t.yaml", List.of()));
        assertEquals("t.yaml:7: data.split.validation: the validation split is empty (4 sequences in all); give it a larger fraction or more data",
                message);
    }

    @Test
    void onlyOneClass() throws IOException {
        Path f = write("one.csv", "a,1,2\na,3,4\na,1,2\na,3,4\n");
        assertTrue(failure(rows(f, "")).contains("data.labels: classification needs at least two classes, found [a]"));
    }

    @Test
    void emptyFile() throws IOException {
        Path f = write("empty.csv", "\n\n");
        assertEquals(f + ": no data rows", failure(rows(f, "")));
    }

    @Test
    void rowBlocksMustMatchTheFile() throws IOException {
        Path f = write("blocks.txt", "1 2\n3 4\n5 6\n");
        String yaml = """
                name: t
                data:
                  format: rows
                  path: %s
                  delimiter: whitespace
                  labels: {from: row-blocks, blockSize: 2, classes: [x, y]}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(f);
        assertEquals(f + ": 3 rows, but data.labels says 2 classes in blocks of 2 rows (4 rows)",
                failure(ConfigLoader.parse(yaml, "t.yaml", List.of())));
    }
}
