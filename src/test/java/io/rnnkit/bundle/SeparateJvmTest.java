package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import io.rnnkit.data.SequenceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bundle works from the outside: a separate JVM that has only rnnkit's classes and runtime jars on its class
 * path (no test code, nothing of the training process) loads the bundle and gives, for every test sequence, the
 * outputs the training process's own network gave — through one-shot calls, a stream, and a bundle read from a stream.
 */
class SeparateJvmTest {
    /** An application, as a user would write it: reads sequences (one a line, steps split by ';'), prints what rnnkit says. */
    private static final String APP = """
            import io.rnnkit.bundle.ModelStream;
            import io.rnnkit.bundle.RnnModel;

            import java.io.InputStream;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.Arrays;
            import java.util.List;
            import java.util.stream.Collectors;

            public class ExternalApp {
                public static void main(String[] args) throws Exception {
                    RnnModel model = RnnModel.load(Path.of(args[0]));
                    RnnModel again;
                    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                        again = RnnModel.load(in);
                    }
                    List<double[][]> sequences = new ArrayList<>();
                    for (String line : Files.readAllLines(Path.of(args[1]))) {
                        sequences.add(Arrays.stream(line.split(";"))
                                .map(step -> Arrays.stream(step.split(",")).mapToDouble(Double::parseDouble).toArray())
                                .toArray(double[][]::new));
                    }
                    for (double[][] sequence : sequences) {
                        ModelStream stream = again.openStream();
                        double[] streamed = null;
                        for (double[] step : sequence) {
                            streamed = stream.step(step);
                        }
                        System.out.println(model.classify(sequence).label() + " " + join(model.classify(sequence).probabilities())
                                + " " + join(streamed));
                    }
                }

                private static String join(double[] values) {
                    return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aSeparateJvmWithOnlyRnnkitsRuntimeClassPathGivesTheTrainingProcesssOutputs() throws Exception {
        TrainedModels.Trained trained = TrainedModels.classifier();
        SequenceSet test = trained.run().data().test();
        float[][] expected = RnnModelTest.trainingOutputs(trained.run(), test);
        Path input = Files.write(dir.resolve("sequences.txt"), TrainedModels.sequences(test).stream()
                .map(s -> Arrays.stream(s).map(step -> Arrays.stream(step).mapToObj(Double::toString).collect(Collectors.joining(",")))
                        .collect(Collectors.joining(";")))
                .toList());

        Path app = dir.resolve("app");
        ExternalJava.compile(app, "ExternalApp", APP);
        List<String> lines = ExternalJava.run(app, "ExternalApp", trained.bundle().toString(), input.toString()).lines().toList();

        assertEquals(test.size(), lines.size());
        List<String> classes = trained.run().data().classes();
        for (int i = 0; i < test.size(); i++) {
            String[] parts = lines.get(i).split(" ");
            double[] classified = parse(parts[1]);
            double[] streamed = parse(parts[2]);
            int best = 0;
            for (int c = 0; c < expected[i].length; c++) {
                assertEquals(expected[i][c], classified[c], 1e-6, "sequence " + i + " class " + c + " (classify)");
                assertEquals(expected[i][c], streamed[c], 1e-6, "sequence " + i + " class " + c + " (stream)");
                best = expected[i][c] > expected[i][best] ? c : best;
            }
            assertEquals(classes.get(best), parts[0], "sequence " + i);
        }
    }

    private static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
