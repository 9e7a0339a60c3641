package io.rnnkit.data;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming cache: built once and atomically, rebuilt when its file changes, split as the in-memory path splits. */
class SequenceCacheTest {
    @TempDir
    Path dir;

    private LoadedConfig config(Path data, String kind) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, """
                name: cache
                seed: 11
                task: {topology: many-to-one, kind: %s}
                data:
                  format: rows
                  path: %s
                  labels: {from: last-column}
                  streaming: {enabled: always, cacheDir: %s}
                model:
                  layers:
                    - {type: lstm, units: 4}
                """.formatted(kind, data, dir.resolve("cache")));
        return ConfigLoader.load(file, List.of());
    }

    @Test
    void isReusedUntilItsFileChanges() throws IOException {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 50, 6, 1);
        LoadedConfig loaded = config(data, "classification");
        SequenceCache first = SequenceCache.of(loaded.config().data(), false);
        assertTrue(first.built());
        SequenceCache again = SequenceCache.of(loaded.config().data(), false);
        assertFalse(again.built());
        assertEquals(first.directory(), again.directory());
        Files.writeString(data, "0.5,0.5,0.5,0.5,0.5,0.5,1\n", StandardOpenOption.APPEND);
        SequenceCache changed = SequenceCache.of(loaded.config().data(), false);
        assertTrue(changed.built());
        assertNotEquals(first.directory(), changed.directory());
        assertEquals(51, changed.size());
        assertArrayEquals(new double[]{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, java.util.Arrays.stream(changed.sequence(50)).mapToDouble(s -> s[0]).toArray());
    }

    @Test
    void aWriteThatWasKilledIsNeverReadAndIsCleanedUp() throws Exception {
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 40, 5, 2);
        LoadedConfig loaded = config(data, "classification");
        String key = SequenceCache.key(loaded.config().data(), false, false, data);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        // what a process killed mid-write leaves: its own folder, half of the values and no manifest
        Path half = dir.resolve("cache").resolve(key + ".tmp-" + gone.pid() + "-1");
        Files.createDirectories(half);
        Files.write(half.resolve("values.f32"), new byte[64]);
        SequenceCache cache = SequenceCache.of(loaded.config().data(), false);
        assertTrue(cache.built());
        assertFalse(Files.exists(half), "the abandoned folder is removed");
        assertEquals(dir.resolve("cache").resolve(key), cache.directory());
        assertEquals(40, cache.size());
        try (var left = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of(key), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void faultsAreNamedEveryOneAndNoCacheIsLeft() throws IOException {
        Path data = dir.resolve("bad.csv");
        Files.writeString(data, "1,2,3,a\n1,2,3,b\n1,x,3,a\n1,2,a\n");
        LoadedConfig loaded = config(data, "classification");
        DataException e = assertThrows(DataException.class, () -> SequenceCache.of(loaded.config().data(), false));
        assertTrue(e.getMessage().contains(data + ":3: column 2: 'x' is not a number"), e.getMessage());
        assertTrue(e.getMessage().contains(data + ":4: ragged row"), e.getMessage());
        try (var left = Files.list(dir.resolve("cache"))) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void splitsAsTheInMemoryPathSplits() throws IOException {
        Nd4j.create(1); // backend up
        Path data = dir.resolve("rows.csv");
        RowsGenerator.write(data, 97, 7, 4);
        for (String kind : new String[]{"classification", "regression"}) {
            LoadedConfig loaded = config(data, kind);
            SplitData memory = DatasetLoader.load(loaded);
            SplitData streamed = DatasetLoader.loadForTraining(loaded, note -> { });
            assertTrue(streamed.train().streamed());
            assertEquals(memory.classes(), streamed.classes());
            for (String name : new String[]{"train", "validation", "test"}) {
                SequenceSet a = set(memory, name);
                SequenceSet b = set(streamed, name);
                assertEquals(a.size(), b.size(), kind + " " + name);
                for (int i = 0; i < a.size(); i++) {
                    for (int t = 0; t < a.sequence(i).length; t++) {
                        assertEquals((float) a.sequence(i)[t][0], (float) b.sequence(i)[t][0], kind + " " + name + " " + i);
                    }
                    if (a.isClassification()) {
                        assertEquals(a.classOf(i), b.classOf(i));
                    } else {
                        assertArrayEquals(a.target(i), b.target(i));
                    }
                }
            }
        }
    }

    private static SequenceSet set(SplitData data, String name) {
        return name.equals("train") ? data.train() : name.equals("validation") ? data.validation() : data.test();
    }

    @Test
    void shardsAreTakenInASeededOrderAndEachExampleOncePerEpoch() {
        int n = 35;
        int shard = 10;
        EpochIterator.Source source = new EpochIterator.Source() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public DataSet get(int[] indices) {
                float[] ids = new float[indices.length];
                for (int k = 0; k < ids.length; k++) {
                    ids[k] = indices[k];
                }
                return new DataSet(Nd4j.create(ids, new long[]{indices.length, 1}), Nd4j.zeros(indices.length, 1));
            }

            @Override
            public int inputColumns() {
                return 1;
            }

            @Override
            public int totalOutcomes() {
                return 1;
            }
        };
        int[] first = order(new EpochIterator(source, shard, true, 5, null, shard), 0);
        assertArrayEquals(first, order(new EpochIterator(source, shard, true, 5, null, shard), 0), "seeded");
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(order(new EpochIterator(source, shard, true, 5, null, shard), 1)));
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < n; k++) {
            assertTrue(seen.add(first[k]), "once each");
        }
        // consecutive examples come from one shard until it is used up
        int k = 0;
        while (k < n) {
            int s = first[k] / shard;
            int size = Math.min(n, (s + 1) * shard) - s * shard;
            for (int j = k; j < k + size; j++) {
                assertEquals(s, first[j] / shard, "position " + j + " of " + java.util.Arrays.toString(first));
            }
            k += size;
        }
        assertNotEquals(0, first[0] / shard + first[n - 1] / shard - 3, "not in file order: " + java.util.Arrays.toString(first));
    }

    private static int[] order(EpochIterator it, int epoch) {
        it.startEpoch(epoch);
        int[] out = new int[35];
        int at = 0;
        while (it.hasNext()) {
            for (float v : it.next().getFeatures().data().asFloat()) {
                out[at++] = (int) v;
            }
        }
        return out;
    }
}
