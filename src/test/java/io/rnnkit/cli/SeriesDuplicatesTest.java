package io.rnnkit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data.series.duplicates per column on the command line: a column the file does not have is one fault with its YAML path, exit 2. */
class SeriesDuplicatesTest {
    @TempDir
    Path dir;

    private Path config(String duplicates) throws IOException {
        StringBuilder csv = new StringBuilder("time,volume,weather\n");
        for (int h = 0; h < 40; h++) {
            csv.append(String.format("2020-01-%02dT%02d:00,%d,%s%n", 1 + h / 24, h % 24, 10 + h % 3, h % 2 == 0 ? "Rain" : "Clear"));
            if (h % 10 == 3) {
                csv.append(String.format("2020-01-%02dT%02d:00,%d,Mist%n", 1 + h / 24, h % 24, 99));
            }
        }
        Path file = Files.writeString(dir.resolve("s.csv"), csv);
        return Files.writeString(dir.resolve("c.yaml"), """
                name: duplicates
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series:
                    timeColumn: time
                    categorical: [weather]
                    duplicates: %s
                  window: {lookback: 4, horizon: 1}
                  split: {train: 0.6, validation: 0.2, test: 0.2}
                model: {layers: [{type: lstm, units: 4}]}
                """.formatted(file, duplicates));
    }

    @Test
    void anUnknownColumnIsOneFaultWithItsPathAndExit2() throws IOException {
        Path c = config("{policy: mean, columns: [{column: volum, policy: last}]}");
        CliTest.Outcome o = rnnkit("validate", c.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("data.series.duplicates.columns[0].column: 'volum' is not among the value columns [volume, weather]"), o.err());
        assertTrue(o.err().contains("(did you mean 'volume'?)"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());

        // the shorthand's typo is reported where it was written, at the section's own path
        CliTest.Outcome typo = rnnkit("validate", config("meen").toString());
        assertEquals(2, typo.code(), typo.err());
        assertTrue(typo.err().contains("c.yaml:9: data.series.duplicates: expected one of refuse, first, last, mean, any, got 'meen'"
                + " (did you mean 'mean'?)"), typo.err());
        CliTest.Outcome set = rnnkit("validate", config("mean").toString(), "--set", "data.series.duplicates=meen");
        assertEquals(2, set.code(), set.err());
        assertTrue(set.err().contains("--set data.series.duplicates=meen: data.series.duplicates: expected one of"), set.err());
    }

    @Test
    void mergedRowsAreReportedWithEachColumnsPolicy() throws IOException {
        CliTest.Outcome o = rnnkit("validate", config("{policy: mean, columns: [{column: volume, policy: last}, {column: weather, policy: first}]}").toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("data: time {cadence=1h, sorted_rows=0, merged_rows=4, merged_by={volume=last, weather=first}"), o.out());
        CliTest.Outcome scalar = rnnkit("validate", config("mean").toString());
        assertEquals(0, scalar.code(), "the scalar shorthand stays valid: " + scalar.err());
        assertTrue(scalar.out().contains("merged_by={volume=mean, weather=any}"), scalar.out());
    }
}
