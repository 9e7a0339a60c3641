package io.rnnkit.data;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.DataConfig;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data that parses but cannot be used: values finite as doubles but infinite in the network's float32, and bytes that
 * are not UTF-8 (which DataVec would read as U+FFFD). Every reader refuses them at the file, line and column.
 */
class HostileDataTest {
    /** Invalid UTF-8: a lone continuation byte. */
    private static final byte[] NOT_UTF8 = {(byte) 0xff};

    @TempDir
    Path dir;

    private static LoadedConfig config(String kind, String data) {
        return ConfigLoader.parse("name: t\ntask: " + kind + "\ndata: " + data + "\nmodel: {embeddingSize: 0, layers: [{type: lstm, units: 4}]}\n",
                "t.yaml", List.of());
    }

    private static LoadedConfig rows(Path file) {
        return config("{kind: classification}", "{format: rows, path: " + file + ", delimiter: comma, labels: {from: first-column},"
                + " split: {train: 0.5, validation: 0.25, test: 0.25, stratify: false}}");
    }

    private static LoadedConfig series(Path file) {
        return config("{kind: regression}", "{format: series, path: " + file + ", series: {timeColumn: Month}, window: {lookback: 1}}");
    }

    private static LoadedConfig text(Path file) {
        return ConfigLoader.parse("name: t\ntask: {topology: one-to-many}\ndata: {format: text, path: " + file + ", normalizer: none,"
                + " split: {train: 0.6, validation: 0.2, test: 0.2}}\nmodel: {embeddingSize: 4, layers: [{type: lstm, units: 4}]}\n", "t.yaml", List.of());
    }

    private Path write(String name, byte[]... parts) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        try (var out = Files.newOutputStream(file)) {
            for (byte[] p : parts) {
                out.write(p);
            }
        }
        return file;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertFailsWith(String start, Executable read) {
        String message = failure(read);
        assertTrue(message.startsWith(start), message);
    }

    private static String failure(Executable read) {
        return assertThrows(BadInputException.class, read).getMessage();
    }

    @Test
    void valuesBeyondFloat32AreLocatedInEveryNumericReader() throws IOException {
        Path rows = write("rows.csv", utf8("a,1,2,3\nb,4,1e39,6\na,1,1,1\nb,2,2,2\n"));
        assertEquals(rows + ":2: column 3: 1e39 is beyond the float32 range (±3.4028235E38) the network computes in; rescale the column",
                failure(() -> DatasetLoader.load(rows(rows))));

        DataConfig rowsData = rows(rows).config().data();
        // predict's input is read by the same readers
        assertFailsWith(rows + ":2: column 3: 1e39 is beyond the float32 range", () -> PredictionInput.read(rowsData, rows, 1, 3));

        Path series = write("series.csv", utf8("Month,Value\n1950-01,1\n1950-02,-3.5e38\n1950-03,2\n"));
        assertFailsWith(series + ":3: column 2: -3.5e38 is beyond the float32 range", () -> DatasetLoader.load(series(series)));

        Path folder = dir.resolve("seq");
        write("seq/features/0.csv", utf8("1,2\n3,4\n"));
        write("seq/labels/0.csv", utf8("0\n"));
        write("seq/features/1.csv", utf8("1,2\n3,1e300\n"));
        write("seq/labels/1.csv", utf8("1\n"));
        assertFailsWith(folder.resolve("features/1.csv") + ":2: column 2: 1e300 is beyond the float32 range", () -> SequenceFilesLayout.read(folder, 0, ',', false));

        Path targets = write("targets.csv", utf8("1,2,0.5\n3,4,-2e39\n5,6,1\n7,8,2\n"));
        LoadedConfig regression = config("{kind: regression}", "{format: rows, path: " + targets + ", delimiter: comma,"
                + " labels: {from: last-column}, split: {train: 0.5, validation: 0.25, test: 0.25}}");
        assertFailsWith(targets + ":2: target -2e39 is beyond the float32 range", () -> DatasetLoader.load(regression));

        // the largest float itself is still a value
        Path largest = write("largest.csv", utf8("a,3.4028235e38\nb,-3.4028235e38\n"));
        assertEquals(2, RowsLayout.read(largest, rows(largest).config().data()).sequences().size());
    }

    @Test
    void bytesThatAreNotUtf8AreLocatedInEveryReader() throws IOException {
        Path rows = write("rows.csv", utf8("a,1,2,3\nb,4,"), NOT_UTF8, utf8("5,6\n"));
        assertEquals(rows + ":2: column 5: bytes that are not UTF-8 (byte 0xff); data files must be UTF-8 text",
                failure(() -> DatasetLoader.load(rows(rows))));

        Path series = write("series.csv", utf8("Month,Value\n1950-01,1\n19"), NOT_UTF8, utf8("50-02,2\n"));
        assertFailsWith(series + ":3: column 3: bytes that are not UTF-8", () -> DatasetLoader.load(series(series)));

        // after multi-byte characters, the column counts characters, not bytes (é is 2 bytes, 😀 is 4)
        Path text = write("text.txt", utf8("first line\né😀x"), NOT_UTF8, utf8("\n"));
        assertFailsWith(text + ":2: column 4: bytes that are not UTF-8", () -> DatasetLoader.load(text(text)));
        assertFailsWith(text + ":2: column 4: bytes that are not UTF-8", () -> PredictionInput.lines(text, null, List.of()));

        Path pairs = write("pairs.txt", utf8("abc\tcba\nab"), new byte[]{(byte) 0xc3}, utf8("\tba\n")); // a truncated 2-byte sequence
        assertFailsWith(pairs + ":2: column 3: bytes that are not UTF-8 (byte 0xc3)", () -> PairsLayout.read(pairs, text(text).config().data().text()));

        Path folder = dir.resolve("seq");
        write("seq/features/0.csv", utf8("1,2\n3,4\n"));
        write("seq/labels/0.csv", utf8("n"), NOT_UTF8, utf8("\n"));
        assertFailsWith(folder.resolve("labels/0.csv") + ":1: column 2: bytes that are not UTF-8", () -> SequenceFilesLayout.read(folder, 0, ',', false));

        // an encoding error cut at the end of the file is located too
        Path cut = write("cut.csv", utf8("a,1\nb,2"), new byte[]{(byte) 0xe2, (byte) 0x82});
        assertFailsWith(cut + ":2: column 4: bytes that are not UTF-8", () -> DatasetLoader.load(rows(cut)));
    }
}
