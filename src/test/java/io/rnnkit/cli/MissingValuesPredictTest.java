package io.rnnkit.cli;

import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.MissingPolicy;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.MissingFills;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.data.SplitData;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A series with missing-value markers in every policy's column: what the policies learnt is saved in the bundle, and
 * predict and RnnModel fill a raw file's markers into the very features training made of the same rows.
 */
class MissingValuesPredictTest {
    private static final int HOURS = 90;

    @TempDir
    Path dir;

    private static String time(int h) {
        return String.format("2020-01-%02dT%02d:00", 1 + h / 24, h % 24);
    }

    /** Hour h: y (the target), a (mask; -200 every 7th hour), b (forward-fill; NA every 11th), c (linear; empty every 13th), d (drop; ? at 40 and 80). */
    private static String row(int h) {
        String a = h % 7 == 0 ? (h == 14 ? "-200.0" : "-200") : Integer.toString(100 + h);
        String b = h % 11 == 5 ? "NA" : Integer.toString(50 + h % 3);
        String c = h % 13 == 6 ? "" : Integer.toString(h % 4);
        String d = h == 40 || h == 80 ? "?" : Integer.toString(h % 2);
        return time(h) + "," + (10 + h % 5) + "," + a + "," + b + "," + c + "," + d + "\n";
    }

    @Test
    void predictFillsRawMarkersIntoTheFeaturesTrainingMadeOfTheSameRows() throws IOException {
        StringBuilder csv = new StringBuilder("time,y,a,b,c,d\n");
        for (int h = 0; h < HOURS; h++) {
            csv.append(row(h));
        }
        Path file = Files.writeString(dir.resolve("s.csv"), csv);
        Path config = Files.writeString(dir.resolve("c.yaml"), """
                name: missing
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: time, target: y}
                  missing:
                    markers: [NA, "", "-200", "?"]
                    policy: forward-fill
                    columns: [{column: a, policy: mask}, {column: c, policy: linear}, {column: d, policy: drop}]
                  window: {lookback: 4, horizon: 1}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(file));
        SplitData training = DatasetLoader.load(ConfigLoader.load(config, List.of()));
        ExperimentRunner.RunResult run = ExperimentRunner.run(ConfigLoader.load(config, List.of()), dir.resolve("run"), TrainingProgress.SILENT);
        Path bundle = run.directory().resolve("model.zip");
        assertTrue(Bundle.verify(bundle).entries().containsKey(BundleFormat.MISSING));

        RnnModel model = RnnModel.load(bundle);
        assertEquals(List.of("y", "a", "b", "c", "d", "a_missing"), model.contract().featureNames());
        // the training part is hours 0-61 (the test part the last round(0.15 × 90) = 14 hours, the validation part 14 before it)
        double aMean = java.util.stream.IntStream.range(0, 62).filter(h -> h % 7 != 0).map(h -> 100 + h).average().orElseThrow();
        MissingFills.Column a = model.fills().columns().get(1);
        assertEquals(List.of("a", MissingPolicy.MASK), List.of(a.column(), a.policy()));
        assertEquals(aMean, a.fill(), 1e-9);

        PredictionInput in = model.read(file);
        int compared = 0;
        for (SequenceSet set : List.of(training.train(), training.validation(), training.test())) {
            for (int i = 0; i < set.size(); i++) {
                int at = in.keys().indexOf(time(set.origin(i) - 1));
                assertTrue(at >= 0, "the window ending at " + time(set.origin(i) - 1) + " is predicted");
                assertArrayEquals(set.sequence(i), in.sequences().get(at), "the window ending at " + time(set.origin(i) - 1));
                compared++;
            }
        }
        assertTrue(compared > 60, compared + " windows compared");
        for (int h = 40; h < 44; h++) {
            assertFalse(in.keys().contains(time(h)), "a window reading d's marker at hour 40 is left out, as in training: " + time(h));
        }
        // hour 14 holds -200.0 in a: the training mean, and the indicator says so
        double[] hour14 = in.sequences().get(in.keys().indexOf(time(14)))[3];
        assertEquals(aMean, hour14[1], 1e-9);
        assertEquals(1.0, hour14[5]);

        // a few raw rows of new data, markers and all: filled with the training figures, not this file's
        Path recent = Files.writeString(dir.resolve("recent.csv"), "time,y,a,b,c,d\n" + row(91) + row(92) + row(93) + row(94) + row(95) + row(96));
        PredictionInput fresh = model.read(recent);
        assertEquals(List.of(time(94), time(95), time(96)), fresh.keys());
        assertArrayEquals(new double[]{10 + 91 % 5, aMean, 50 + 91 % 3, 91 % 4, 91 % 2, 1}, fresh.sequences().get(0)[0], 1e-9, "hour 91: a is -200");
        assertTrue(fresh.notes().get(0).startsWith("recent.csv: missing values filled or dropped per column's policy {a=1"), fresh.notes().toString());

        CliTest.Outcome o = rnnkit("predict", "--model", bundle.toString(), "--input", recent.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(4, o.out().lines().count(), o.out());
        assertTrue(o.err().contains("note: recent.csv: missing values filled"), o.err());
        assertEquals(model.predict(fresh.sequences()).get(1)[0], Double.parseDouble(o.out().lines().toList().get(2).split(",")[1]), 1e-4);
    }
}
