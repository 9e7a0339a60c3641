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

/**
 * What streamed cross-validation and data-parallel workers rest on: the pool of streamed splits and its folds stay views
 * of the cache, holding the in-memory path's sequences and the same stratified folds; and passing a minibatch with
 * {@link EpochIterator#skip} leaves the next ones those of reading it.
 */
class StreamedFoldsTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path data, String streaming) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve(streaming.hashCode() + ".yaml"), """
                name: folds
                seed: 11
                task: {topology: many-to-one, kind: classification}
                data: {format: rows, path: %s, labels: {from: last-column}, streaming: %s}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(data, streaming)), List.of());
    }

    @Test
    void foldsOfTheStreamedPoolAreViewsOfTheInMemoryFolds() throws IOException {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 120, 9, 4);
        SplitData streamed = DatasetLoader.loadForTraining(config(data, "{enabled: always, cacheDir: " + dir.resolve("cache") + "}"), n -> { });
        SplitData memory = DatasetLoader.loadForTraining(config(data, "{enabled: never}"), n -> { });
        SequenceSet pool = streamed.train().concat(streamed.validation());
        SequenceSet whole = memory.train().concat(memory.validation());
        assertTrue(pool.streamed(), "the pool still reads the cache");
        assertFalse(whole.streamed());
        assertEquals(whole.size(), pool.size());

        Folds a = Folds.of(pool, 3, streamed.classes().size(), 11);
        Folds b = Folds.of(whole, 3, memory.classes().size(), 11);
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(b.validation(f), a.validation(f), "fold " + f);
            SequenceSet fold = pool.view(a.training(f));
            SequenceSet held = whole.view(b.training(f));
            assertTrue(fold.streamed(), "a fold of the cache is a view of it");
            assertFalse(held.streamed());
            assertEquals(held.size(), fold.size());
            for (int i = 0; i < fold.size(); i++) {
                assertEquals(held.classOf(i), fold.classOf(i));
                double[][] x = held.sequence(i);
                double[][] y = fold.sequence(i);
                for (int t = 0; t < x.length; t++) {
                    assertEquals((float) x[t][0], (float) y[t][0], "fold " + f + ", sequence " + i + ", step " + t);
                }
            }
        }
    }

    @Test
    void aSkippedMinibatchLeavesTheNextOnesAsReadingItWould() {
        DataSet all = new DataSet(org.nd4j.linalg.factory.Nd4j.arange(40).reshape(10, 1, 4).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 10, 2, 1));
        EpochIterator read = new EpochIterator(all, 3, true, 5);
        EpochIterator skipped = new EpochIterator(all, 3, true, 5);
        read.startEpoch(2);
        skipped.startEpoch(2);
        read.next();
        skipped.skip();
        while (read.hasNext()) {
            assertEquals(read.next().getFeatures(), skipped.next().getFeatures());
        }
        assertFalse(skipped.hasNext());
        assertThrows(java.util.NoSuchElementException.class, skipped::skip);
    }
}
