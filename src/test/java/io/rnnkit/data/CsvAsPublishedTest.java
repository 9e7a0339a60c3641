package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delimited files as they are published: each quirk in a small crafted file (see {@link CsvReader}). */
class CsvAsPublishedTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static LoadedConfig series(Path file, String extra) {
        return ConfigLoader.parse("name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: " + file + "\n" + extra
                + "  window: {lookback: 2, horizon: 1}\n  split: {train: 0.5, validation: 0, test: 0.5}\nmodel: {layers: [{type: lstm, units: 4}]}\n"
                + "training: {earlyStopping: {patience: 0, restoreBest: false}}\n", "t.yaml", List.of());
    }

    private static SeriesLayout.Series read(LoadedConfig config) {
        return SeriesLayout.read(Path.of(config.config().data().path()), config.config().data(), config.locations(), null);
    }

    @Test
    void bomCrlfQuotesAndTrailingEmptiesAreReadAsPublished() throws IOException {
        Path f = write("quirks.csv", "\uFEFFname;\"a;b\";\"say \"\"hi\"\"\";;\r\nx;1;2;;\r\n\"y\r\nz\";3;4;;\r\n;;;;\r\n;;;;\r\n");
        CsvReader.Table table = CsvReader.read(f, new CsvDialect(';', ',', '"'), 0);
        assertEquals(List.of("name", "a;b", "say \"hi\""), table.lines().get(0).fields(), "BOM stripped, quotes undone, CR dropped");
        assertEquals(List.of("x", "1", "2"), table.lines().get(1).fields());
        assertEquals(List.of("y\r\nz", "3", "4"), table.lines().get(2).fields(), "a quoted field may hold a line break");
        assertEquals(List.of(1L, 2L, 3L), table.lines().stream().map(TextRecords.Line::number).toList(), "records keep the line they start on");
        assertEquals(2, table.emptyRows());
        assertEquals(2, table.emptyColumns());
    }

    @Test
    void anySingleCharacterSeparatesAndCommaDecimalsAreRead() throws IOException {
        Path f = write("pipe.csv", "t|v\n1|2,5\n2|-0,5\n3|1e2\n4|,25\n");
        SeriesLayout.Series s = read(series(f, "  separator: '|'\n  decimal: comma\n  series: {timeColumn: t}\n"));
        assertArrayEquals(new double[]{2.5, -0.5, 100, 0.25}, java.util.Arrays.stream(s.values()).mapToDouble(r -> r[0]).toArray());
    }

    @Test
    void numbersAreStrictInTheDeclaredDecimalSyntax() {
        for (String notANumber : List.of("1d", "0x1p3", "1_000", "NaN", "Infinity", "-Infinity", "1f", "", "+", "1.2.3", " 1", "1,5")) {
            assertNull(TextRecords.strictNumber(notANumber, '.'), notANumber);
        }
        assertNull(TextRecords.strictNumber("2.5", ','), "a point is no decimal mark in a comma file");
        assertEquals(2.5, TextRecords.strictNumber("2,5", ','));
        assertEquals(-1500.0, TextRecords.strictNumber("-1.5e3", '.'));
        assertEquals(0.5, TextRecords.strictNumber(".5", '.'));
        assertEquals(3.0, TextRecords.strictNumber("+3.", '.'));
    }

    @Test
    void aPointInACommaFileIsALocatedFault() throws IOException {
        Path f = write("mixed.csv", "t;v\n1;2,5\n2;2.5\n");
        String message = assertThrows(BadInputException.class, () -> read(series(f, "  delimiter: semicolon\n  decimal: comma\n  series: {timeColumn: t}\n")))
                .getMessage();
        assertEquals(f + ":3: column 2: '2.5' is not a number (data.decimal: comma, so 2,5 not 2.5)", message);
    }

    @Test
    void anUnclosedQuoteIsALocatedFault() throws IOException {
        Path f = write("quote.csv", "t,v\n1,2\n2,\"3\n3,4\n");
        String message = assertThrows(BadInputException.class, () -> CsvReader.read(f, CsvDialect.COMMA, 0)).getMessage();
        assertEquals(f + ":3: column 2: the quote opened here is never closed", message);
        Path g = write("tail.csv", "t,v\n1,\"2\"x\n");
        assertTrue(assertThrows(BadInputException.class, () -> CsvReader.read(g, CsvDialect.COMMA, 0)).getMessage()
                .startsWith(g + ":2: column 2: text after the closing quote: 'x'"));
    }

    @Test
    void everyFaultIsReportedAtOnceWithItsLineAndColumn() throws IOException {
        Path f = write("faults.csv", "t,a,b\n1,1,2\n2,x,2\n3,1,2,9\n4,1d,0x1p3\n");
        String message = assertThrows(BadInputException.class, () -> read(series(f, "  series: {timeColumn: t}\n"))).getMessage();
        assertEquals("4 faults in the data:\n  " + f + ":3: column 2: 'x' is not a number\n  " + f + ":4: ragged row: 4 fields, the header has 3\n  "
                + f + ":5: column 2: '1d' is not a number\n  " + f + ":5: column 3: '0x1p3' is not a number", message);
    }

    @Test
    void validateReportsEveryDataFaultAndExits2() throws IOException {
        Path f = write("v.csv", "t;v\n1;1,5\n2;NA\n3;2,5\n4;1.5\n");
        Path config = write("v.yaml", "name: t\ntask: {kind: regression}\ndata:\n  format: series\n  path: " + f
                + "\n  delimiter: semicolon\n  decimal: comma\n  series: {timeColumn: t}\n  window: {lookback: 1, horizon: 1}\n"
                + "model: {layers: [{type: lstm, units: 4}]}\n");
        io.rnnkit.cli.CliTest.Outcome o = io.rnnkit.cli.CliTest.rnnkit("validate", config.toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("2 faults in the data:\n  " + f + ":3: column 2: 'NA' is not a number"), o.err());
        assertTrue(o.err().contains("\n  " + f + ":5: column 2: '1.5' is not a number (data.decimal: comma, so 2,5 not 2.5)"), o.err());
        assertEquals("", o.out());
    }

    @Test
    void faultsBeyondTheLimitAreCounted() throws IOException {
        StringBuilder text = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 30; i++) {
            text.append("x,z,y\n");
        }
        Path f = write("many.csv", text.toString());
        String message = assertThrows(BadInputException.class, () -> DatasetLoader.load(ConfigLoader.parse(
                "name: t\ntask: {kind: classification}\ndata: {format: rows, path: " + f + ", labels: {from: first-column}}\nmodel: {layers: [{type: lstm, units: 4}]}\n",
                "t.yaml", List.of()))).getMessage();
        assertTrue(message.startsWith("62 faults in the data:\n  " + f + ":1: column 2: 'b' is not a number\n"), message);
        assertEquals(DataFaults.LIMIT + 2, message.lines().count(), "the limit's worth of faults, then a count of the rest");
        assertTrue(message.endsWith("\n  and 12 more"), message);
    }

    @Test
    void aSeparatorThatIsTheDecimalMarkIsRefusedAtTheYamlPath() {
        String message = assertThrows(BadInputException.class, () -> series(Path.of("x.csv"), "  delimiter: comma\n  decimal: comma\n")).getMessage();
        assertTrue(message.contains("data.decimal"), message);
        String separator = assertThrows(BadInputException.class, () -> series(Path.of("x.csv"), "  separator: ';;'\n")).getMessage();
        assertTrue(separator.contains("data.separator") && separator.contains("exactly one character"), separator);
    }

    @Test
    void theLocationsUsedByTheRulesNameTheConfig() {
        // the YAML path of a bad per-column entry
        String message = assertThrows(BadInputException.class, () -> MissingValues.of(
                new io.rnnkit.config.MissingConfig(List.of("NA"), io.rnnkit.config.MissingPolicy.DROP,
                        List.of(new io.rnnkit.config.MissingColumn("CO", null, null))),
                List.of("CO(GT)"), Path.of("f.csv"), new ConfigLocations("t.yaml"))).getMessage();
        assertTrue(message.contains("data.missing.columns[0].column") && message.contains("'CO' is not among the value columns [CO(GT)]"), message);
    }
}
