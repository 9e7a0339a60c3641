package io.rnnkit.cli;

import io.rnnkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rnnkit init on the public files as published: each config it writes passes validate as it is; bad input exits 2 with one message. */
class InitTest {
    @TempDir
    Path dir;

    /** Writes the config for a public file and checks that validate accepts it unchanged; returns its text. */
    private Path initAndValidate(String relative, String... expected) throws IOException {
        Path data = TestData.require(relative);
        Path config = dir.resolve(data.getFileName() + ".yaml");
        CliTest.Outcome init = rnnkit("init", data.toString(), "--out", config.toString());
        assertEquals(0, init.code(), init.err());
        String yaml = Files.readString(config);
        for (String guess : expected) {
            assertTrue(yaml.contains(guess), relative + ": no '" + guess + "' in\n" + yaml);
        }
        CliTest.Outcome validate = rnnkit("validate", config.toString());
        assertEquals(0, validate.code(), relative + ":\n" + yaml + "\n" + validate.err());
        assertTrue(validate.out().contains("valid. Data:"), validate.out());
        return config;
    }

    /** TrainingConfig's own default, which the study of issue 22 may change: init must quote it, not a copy of it. */
    private static String recordDefault(String component) {
        return java.util.Arrays.stream(io.rnnkit.config.TrainingConfig.class.getRecordComponents()).filter(c -> c.getName().equals(component))
                .findFirst().orElseThrow().getAnnotation(io.rnnkit.config.Default.class).value();
    }

    @Test
    void everyPublicFileGetsAConfigThatValidates() throws IOException {
        initAndValidate("ucr_ecg200/ECG200_TRAIN.txt", "format: rows", "delimiter: whitespace", "labels: {from: first-column}",
                "testPath:", "[-1, 1]", "split: {train: 0.82, validation: 0.18, test: 0}",
                "# training: the records' defaults: " + recordDefault("epochs") + " epochs, batches of " + recordDefault("batchSize"));
        initAndValidate("synthetic_control/synthetic_control.data", "format: rows", "kind: regression", "row-blocks");
        initAndValidate("uea_ts/BasicMotions_TRAIN.ts", "format: ts", "4 classes [Standing, Running, Walking, Badminton]", "BasicMotions_TEST.ts");
        initAndValidate("uea_ts/BasicMotions_TRAIN.arff", "format: arff", "relational", "BasicMotions_TEST.arff");
        initAndValidate("uea_ts/JapaneseVowels_TRAIN.ts", "format: ts", "lengths vary", "9 classes");
        initAndValidate("air_quality/AirQualityUCI.csv", "format: series", "delimiter: semicolon", "decimal: comma",
                "timeColumns: [Date, Time]", "timeFormat: \"dd/MM/yyyy HH.mm.ss\"", "seasonalPeriod: 24");
        initAndValidate("sentiment_labelled_sentences/yelp_labelled.txt", "format: text", "labelSeparator: \"\\t\"", "[0, 1]", "embeddingSize:");
    }

    /** Learning tier: two trainings (18 s together here). */
    @org.junit.jupiter.api.Tag("learning")
    @Test
    void twoGeneratedConfigsTrainAnEpoch() throws IOException {
        for (String relative : List.of("ucr_ecg200/ECG200_TRAIN.txt", "airline_passengers/airline-passengers.csv")) {
            Path config = relative.startsWith("airline") ? initAndValidate(relative, "format: series", "timeColumn: Month",
                    "timeFormat: \"yyyy-MM\"", "seasonalPeriod: 12") : initAndValidate(relative);
            Path run = dir.resolve("run-" + config.getFileName());
            CliTest.Outcome train = rnnkit("train", config.toString(), "--out", run.toString(), "--set", "training.epochs=1");
            assertEquals(0, train.code(), train.err());
            assertTrue(Files.isRegularFile(run.resolve("model.zip")), relative);
            assertTrue(train.out().contains("best epoch 1 of 1"), train.out());
        }
    }

    @Test
    void badInputIsOneMessageAndExit2() throws IOException {
        CliTest.Outcome missing = rnnkit("init", dir.resolve("absent.csv").toString(), "--out", dir.resolve("a.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("absent.csv: no such file"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Path binary = Files.write(dir.resolve("model.bin"), new byte[]{'P', 'K', 3, 4, 0, 0, 1});
        CliTest.Outcome unreadable = rnnkit("init", binary.toString(), "--out", dir.resolve("b.yaml").toString());
        assertEquals(2, unreadable.code());
        assertTrue(unreadable.err().contains("model.bin: not a text file"), unreadable.err());

        Path prose = Files.writeString(dir.resolve("notes.txt"), "Some words here\nand a line, with a comma\nthen; a semicolon\n");
        CliTest.Outcome unknown = rnnkit("init", prose.toString(), "--out", dir.resolve("c.yaml").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("notes.txt: cannot tell how the values are separated"), unknown.err());
        assertFalse(Files.exists(dir.resolve("c.yaml")), "nothing written for bad input");

        Path data = Files.writeString(dir.resolve("d.csv"), "1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
        Files.writeString(dir.resolve("taken.yaml"), "name: mine\n");
        CliTest.Outcome taken = rnnkit("init", data.toString(), "--out", dir.resolve("taken.yaml").toString());
        assertEquals(2, taken.code());
        assertTrue(taken.err().contains("taken.yaml: already exists"), taken.err());
        assertEquals("name: mine\n", Files.readString(dir.resolve("taken.yaml")), "never overwritten");
    }
}
