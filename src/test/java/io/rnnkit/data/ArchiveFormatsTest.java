package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.TestData;
import io.rnnkit.cli.CliTest;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UEA/UCR archive readers ({@code .ts}, {@code .arff}): every header directive, faults located, the published files' shapes. */
class ArchiveFormatsTest {
    @TempDir
    Path dir;

    /** A two-dimensional, unequal-length .ts with every directive, a comment, a blank line and trailing '?' padding. */
    private static final String TS = """
            # a comment before the header

            @problemName Tiny
            @timeStamps false
            @missing true
            @univariate false
            @dimensions 2
            @equalLength false
            @classLabel true up down
            @data
            1,2,3:4,5,6:up
            # a comment between cases
            7.5E-1,-8,?:9,10,?:down
            """;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String fault(DataFormat format, String name, String text) throws IOException {
        Path file = write(name, text);
        return assertThrows(DataException.class, () -> ArchiveFile.read(format, file)).getMessage().replace(file.toString(), name);
    }

    @Test
    void tsReadsEveryDirectiveAndPaddingMakesAShorterCase() throws IOException {
        ArchiveFile read = ArchiveFile.read(DataFormat.TS, write("tiny.ts", TS));
        assertEquals(List.of("up", "down"), read.classes());
        RawSequences cases = read.sequences();
        assertEquals(2, cases.sequences().size());
        assertArrayEquals(new double[][]{{1, 4}, {2, 5}, {3, 6}}, cases.sequences().get(0));
        assertArrayEquals(new double[][]{{0.75, 9}, {-8, 10}}, cases.sequences().get(1));
        assertEquals("down", cases.labels().get(1)[0][0]);
        assertEquals(13, cases.origins().get(1).line());
    }

    @Test
    void tsEqualLengthUnivariateRegressionAndUnlabelledHeaders() throws IOException {
        ArchiveFile equal = ArchiveFile.read(DataFormat.TS, write("eq.ts", """
                @univariate true
                @equalLength true
                @seriesLength 3
                @targetLabel true
                @data
                1,2,3:0.5
                4,5,6:1.5
                """));
        assertEquals(List.of(), equal.classes());
        assertEquals("1.5", equal.sequences().labels().get(1)[0][0]);
        assertArrayEquals(new double[][]{{4}, {5}, {6}}, equal.sequences().sequences().get(1));
        ArchiveFile unlabelled = ArchiveFile.read(DataFormat.TS, write("u.ts", "@classLabel false\n@data\n1,2:3,4\n"));
        assertNull(unlabelled.sequences().labels());
        assertArrayEquals(new double[][]{{1, 3}, {2, 4}}, unlabelled.sequences().sequences().get(0));
    }

    @Test
    void tsFaultsAreLocatedByLineAndColumn() throws IOException {
        assertEquals("a.ts:2:1: no @data line: a .ts file is an @ header, then @data, then one case a line",
                fault(DataFormat.TS, "a.ts", "@dimensions 2\n@classLabel true a b\n"));
        assertEquals("b.ts:4:9: 3 dimension(s) before the label, but the header declares 2 (@dimensions, line 1)",
                fault(DataFormat.TS, "b.ts", "@dimensions 2\n@classLabel true a b\n@data\n1,2:3,4:5,6:b\n"));
        assertEquals("c.ts:4:9: label 'c' is not among the classes [a, b] declared by @classLabel, line 1",
                fault(DataFormat.TS, "c.ts", "@classLabel true a b\n@data\n1,2:3,4:a\n1,2:3,4:c\n"));
        assertEquals("d.ts:3:3: '0x1p3' is not a number", fault(DataFormat.TS, "d.ts", "@classLabel true a b\n@data\n1,0x1p3:a\n"));
        assertEquals("e.ts:3:3: missing value at step 2 of dimension 1, inside the series: trailing missing values are read as the padding"
                        + " of a shorter case, but rnnkit fills no gap inside one; fill or drop it before training",
                fault(DataFormat.TS, "e.ts", "@classLabel true a b\n@data\n1,?,3:a\n"));
        assertEquals("f.ts:4:3: missing value '?', but the header says there are none (@missing, line 1)",
                fault(DataFormat.TS, "f.ts", "@missing false\n@classLabel false\n@data\n1,?\n"));
        assertEquals("g.ts:4:1: 2 values per dimension, the first case has 3, but the header declares equal lengths (@equalLength, line 1)",
                fault(DataFormat.TS, "g.ts", "@equalLength true\n@data\n1,2,3\n4,5\n"));
        assertEquals("h.ts:3:1: 2 values per dimension, but the header declares 3 (@seriesLength, line 1)",
                fault(DataFormat.TS, "h.ts", "@seriesLength 3\n@data\n1,2\n"));
        assertEquals("i.ts:1:13: @timeStamps true: timestamped values (t,v) are not read; rnnkit reads series of values at equal steps",
                fault(DataFormat.TS, "i.ts", "@timeStamps true\n@data\n1\n"));
        assertEquals("j.ts:1:13: @univariate takes true or false, got 'yes'", fault(DataFormat.TS, "j.ts", "@univariate yes\n@data\n1\n"));
        assertEquals("k.ts:2:1: unknown directive '@lenght'; a .ts header has @problemName, @timeStamps, @missing, @univariate,"
                + " @dimensions, @equalLength, @seriesLength, @classLabel, @targetLabel and @data", fault(DataFormat.TS, "k.ts", "@missing false\n@lenght 3\n@data\n"));
        assertEquals("l.ts:2:5: dimension 2 has 1 values, dimension 1 has 2; the dimensions of one case must have the same length",
                fault(DataFormat.TS, "l.ts", "@data\n1,2:3\n"));
        assertEquals("m.ts:1:1: expected a # comment or an @ directive before @data", fault(DataFormat.TS, "m.ts", "1,2,3\n@data\n"));
    }

    /** A multivariate .arff as the UEA archive writes it: a relational attribute of 3 steps, 2 dimensions, a nominal class. */
    private static final String ARFF = """
            % a comment
            @relation 'Tiny'

            @attribute relationalAtt relational
            @attribute att0 numeric
            @attribute att1 numeric
            @attribute att2 numeric
            @end relationalAtt
            @attribute activity {Standing,Running}

            @data
            '1,2,3\\n4,5,6',Running
            '0.5,-1,?\\n7,8,?',Standing
            """;

    @Test
    void arffReadsRelationalMultivariateAndNumericUnivariate() throws IOException {
        ArchiveFile read = ArchiveFile.read(DataFormat.ARFF, write("tiny.arff", ARFF));
        assertEquals(List.of("Standing", "Running"), read.classes());
        assertArrayEquals(new double[][]{{1, 4}, {2, 5}, {3, 6}}, read.sequences().sequences().get(0));
        assertArrayEquals(new double[][]{{0.5, 7}, {-1, 8}}, read.sequences().sequences().get(1));
        assertEquals("Standing", read.sequences().labels().get(1)[0][0]);
        ArchiveFile univariate = ArchiveFile.read(DataFormat.ARFF, write("u.arff", """
                @relation u
                @attribute t1 real
                @attribute t2 integer
                @attribute "class" {"a b",c}
                @data
                1, 2, 'a b'
                3,4,c
                """));
        assertEquals(List.of("a b", "c"), univariate.classes());
        assertArrayEquals(new double[][]{{3}, {4}}, univariate.sequences().sequences().get(1));
        assertEquals("a b", univariate.sequences().labels().get(0)[0][0]);
    }

    @Test
    void arffFaultsAreLocatedByLineAndColumn() throws IOException {
        assertEquals("a.arff:9:1: no @data line: an .arff file is @relation, @attribute lines, then @data and one case a row",
                fault(DataFormat.ARFF, "a.arff", ARFF.substring(0, ARFF.indexOf("\n@data"))));
        assertEquals("b.arff:12:9: a dimension has 2 values, but relational attribute 'relationalAtt' declares 3 (line 4)",
                fault(DataFormat.ARFF, "b.arff", ARFF.replace("'1,2,3\\n4,5,6'", "'1,2,3\\n4,5'")));
        assertEquals("c.arff:12:16: label 'Walking' is not among the values [Standing, Running] of attribute 'activity' (line 9)",
                fault(DataFormat.ARFF, "c.arff", ARFF.replace("',Running", "',Walking")));
        assertEquals("d.arff:12:4: '2x' is not a number", fault(DataFormat.ARFF, "d.arff", ARFF.replace("'1,2,3", "'1,2x,3")));
        assertEquals("e.arff:12:24: 3 values, but 2 attributes are declared", fault(DataFormat.ARFF, "e.arff", ARFF.replace("',Running", "',Running,x")));
        assertEquals("f.arff:12:1: the quoted value opened here is not closed on this line", fault(DataFormat.ARFF, "f.arff", ARFF.replace("6',Running", "6,Running")));
        assertEquals("g.arff:9:21: attribute 'activity' has type 'date'; rnnkit reads numeric, real, integer, nominal {a,b,...} and relational attributes",
                fault(DataFormat.ARFF, "g.arff", ARFF.replace("{Standing,Running}", "date")));
        assertEquals("h.arff:12:1: sparse rows ({index value, ...}) are not read; write every value",
                fault(DataFormat.ARFF, "h.arff", ARFF.replace("'1,2,3\\n4,5,6',Running", "{0 1, 1 Running}")));
    }

    private static final String TS_CONFIG = """
            name: t
            task: {topology: many-to-one, kind: classification}
            data:
              format: ts
              path: %s
              split: {train: 0.5, validation: 0.25, test: 0.25}
            model: {layers: [{type: lstm, units: 4}]}
            training: {epochs: 1}
            """;

    @Test
    void theLoaderTakesClassesInTheHeadersOrderAndMasksUnequalLengths() throws IOException {
        StringBuilder ts = new StringBuilder("@problemName order\n@classLabel true zeta alpha\n@data\n");
        for (int i = 0; i < 16; i++) {
            ts.append(i).append(",1").append(i % 3 == 0 ? "" : ",2").append(':').append(i % 2 == 0 ? "alpha" : "zeta").append('\n');
        }
        Path file = write("order.ts", ts.toString());
        SplitData data = DatasetLoader.load(ConfigLoader.parse(TS_CONFIG.formatted(file), "t.yaml", List.of()));
        assertEquals(List.of("zeta", "alpha"), data.classes(), "the header's order, not sorted");
        assertEquals(2, data.minLength());
        assertEquals(3, data.maxLength());
        assertEquals(16, data.train().size() + data.validation().size() + data.test().size());
    }

    @Test
    void archiveConfigRules() throws IOException {
        Path file = write("x.ts", "@data\n1:a\n");
        List<String> problems = Yaml.problems(TS_CONFIG.formatted(file).replace("many-to-one", "many-to-many").replace("format: ts", "format: ts\n  skipLines: 3"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("task.topology: a .ts file labels each case once: set task.topology: many-to-one")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("data.skipLines: a .ts file's header is read, not skipped")), problems.toString());
    }

    @Test
    void aTsFileReadAsRowsIsValidatedWithAWarningNamingTheCause() throws IOException {
        StringBuilder ts = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            ts.append(i % 7).append(',').append(i % 5 * 0.5).append(':').append(i % 5 % 2 == 0 ? "a" : "b").append('\n');
        }
        Path data = write("rows.ts", ts.toString());
        Path config = write("c.yaml", """
                name: t
                data:
                  format: rows
                  path: %s
                  labels: {from: last-column}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1}
                """.formatted(data));
        CliTest.Outcome o = CliTest.rnnkit("validate", config.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("warning: 5 classes for 40 sequences (more than one class per ten sequences); too few examples of each class to learn it and test it."
                + " Likely cause: the labels (0.0:a, 0.5:b, 1.0:a, ...) hold ':', as the last field of a sktime .ts file does"), o.err());
        assertTrue(o.err().contains("read such a file with data.format: ts"), o.err());
        Path twoClasses = write("ok.csv", ts.toString().replace(':', ','));
        CliTest.Outcome sane = CliTest.rnnkit("validate", config.toString(), "--set", "data.path=" + twoClasses);
        assertEquals(0, sane.code(), sane.err());
        assertTrue(!sane.err().contains("warning"), "two classes of 20 rows each are a sane label set: " + sane.err());
    }

    @Test
    void anEmptySplitFromAClassPerCaseNamesTheLabelsAsTheCause() throws IOException {
        StringBuilder ts = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            ts.append(i).append(',').append(i * 0.25).append(':').append(i % 2).append('\n');
        }
        Path data = write("rows.ts", ts.toString());
        LoadedConfig loaded = ConfigLoader.parse("name: t\ndata: {format: rows, path: " + data + ", labels: {from: last-column}}\n"
                + "model: {layers: [{type: lstm, units: 4}]}\n", "t.yaml", List.of());
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(loaded)).getMessage();
        assertTrue(message.contains("data.split.validation: the validation split is empty (20 sequences in all); the labels are the likely cause:"
                + " 20 of the 20 classes have a single example"), message);
        assertTrue(message.contains("read such a file with data.format: ts"), message);
    }

    @Test
    void thePublishedFilesHaveTheirDocumentedShapes() {
        Path root = TestData.require("uea_ts/BasicMotions_TRAIN.ts").getParent();
        List<String> motions = List.of("Standing", "Running", "Walking", "Badminton");
        for (String split : List.of("TRAIN", "TEST")) {
            ArchiveFile ts = ArchiveFile.read(DataFormat.TS, root.resolve("BasicMotions_" + split + ".ts"));
            ArchiveFile arff = ArchiveFile.read(DataFormat.ARFF, root.resolve("BasicMotions_" + split + ".arff"));
            shape(ts, 40, 6, 100, 100, motions);
            shape(arff, 40, 6, 100, 100, motions);
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(ts.sequences().sequences().get(i), arff.sequences().sequences().get(i), "case " + i + " is the same in both formats");
                assertEquals(ts.sequences().labels().get(i)[0][0], arff.sequences().labels().get(i)[0][0]);
            }
        }
        List<String> speakers = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");
        shape(ArchiveFile.read(DataFormat.TS, root.resolve("JapaneseVowels_TRAIN.ts")), 270, 12, 7, 26, speakers);
        shape(ArchiveFile.read(DataFormat.TS, root.resolve("JapaneseVowels_TEST.ts")), 370, 12, 7, 29, speakers);
        shape(ArchiveFile.read(DataFormat.TS, root.resolve("ArrowHead_TRAIN.ts")), 36, 1, 251, 251, List.of("0", "1", "2"));
        shape(ArchiveFile.read(DataFormat.TS, root.resolve("ArrowHead_TEST.ts")), 175, 1, 251, 251, List.of("0", "1", "2"));
    }

    private static void shape(ArchiveFile file, int cases, int dims, int minLength, int maxLength, List<String> classes) {
        List<double[][]> sequences = file.sequences().sequences();
        assertEquals(cases, sequences.size());
        assertEquals(classes, file.classes());
        assertTrue(sequences.stream().allMatch(s -> s[0].length == dims), "every case has " + dims + " dimensions");
        assertEquals(minLength, sequences.stream().mapToInt(s -> s.length).min().orElseThrow());
        assertEquals(maxLength, sequences.stream().mapToInt(s -> s.length).max().orElseThrow());
        assertTrue(file.sequences().labels().stream().allMatch(l -> classes.contains(l[0][0])));
    }

    @Test
    void predictReadsAnArchiveFileKeyedByLine() throws IOException {
        Path file = write("tiny.ts", TS);
        LoadedConfig loaded = ConfigLoader.parse(TS_CONFIG.formatted(file), "t.yaml", List.of());
        PredictionInput in = PredictionInput.read(loaded.config().data(), file, 2, 0);
        assertEquals(List.of("11", "13"), in.keys());
        assertArrayEquals(new double[][]{{0.75, 9}, {-8, 10}}, in.sequences().get(1));
    }

    @Test
    void aMissingLabelHeaderIsReportedForATrainingFile() throws IOException {
        Path file = write("nolabel.ts", "@classLabel false\n@data\n1,2\n3,4\n");
        LoadedConfig loaded = ConfigLoader.parse(TS_CONFIG.formatted(file), "t.yaml", List.of());
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(loaded)).getMessage();
        assertEquals(file + ": the task needs a label per case, but the header declares none (@classLabel true ... or @targetLabel true in a .ts file)", message);
    }
}
