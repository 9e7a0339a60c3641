package io.rnnkit.cli;

import io.rnnkit.TrainedModels;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.bundle.UnsupportedByModelException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.SequenceSet;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One inference path (docs/architecture.md): for every task shape, a briefly trained model's bundle, loaded with
 * {@link RnnModel}, gives on the test split exactly the outputs the run's test metrics were computed from, so the
 * metrics recomputed from the bundle's answers equal those of {@code metrics.json}; and {@code rnnkit predict}
 * answers a per-step model at every step.
 */
class OneInferencePathTest {
    @TempDir
    Path dir;

    /** {@link TrainedModels#perStepSequenceFiles}, a brief run. */
    static ExperimentRunner.RunResult perStepClassifier(Path dir, boolean bidirectional) throws IOException {
        Path data = TrainedModels.perStepSequenceFiles(dir.resolve("data"), 40);
        String yaml = """
                name: m2m
                task: {topology: many-to-many}
                data: {format: sequence-files, path: %s, split: {train: 0.5, validation: 0.25, test: 0.25}}
                model: {layers: [{type: simple-rnn, units: 6, bidirectional: %s}]}
                training: {epochs: 2, batchSize: 8, updater: {learningRate: 0.02}}
                """.formatted(data, bidirectional);
        return ExperimentRunner.run(ConfigLoader.parse(yaml, "m2m.yaml", List.of()), dir.resolve("run"), TrainingProgress.SILENT);
    }

    @Test
    void predictWritesARowPerStepWhoseLabelsGiveTheEvaluatorsConfusionMatrix() throws IOException {
        ExperimentRunner.RunResult run = perStepClassifier(dir, false);
        SequenceSet test = run.data().test();
        Path input = Files.createDirectories(dir.resolve("input/features"));
        for (int i = 0; i < test.size(); i++) {
            StringBuilder x = new StringBuilder();
            for (double[] step : test.sequence(i)) {
                x.append(step[0]).append('\n');
            }
            Files.writeString(input.resolve(i + ".csv"), x);
        }
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", run.directory().resolve("model.zip").toString(),
                "--input", input.getParent().toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("file,step,label,p_down,p_up", lines.get(0));
        List<String> classes = run.data().classes();
        int[][] confusion = new int[classes.size()][classes.size()];
        Map<String, Integer> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            int i = Integer.parseInt(fields[0].replace(".csv", ""));
            int t = Integer.parseInt(fields[1]) - 1;
            rows.merge(fields[0], 1, Integer::sum);
            confusion[test.classAt(i, t)][classes.indexOf(fields[2])]++;
        }
        for (int i = 0; i < test.size(); i++) {
            assertEquals(test.sequence(i).length, rows.getOrDefault(i + ".csv", 0), "one row per step of sequence " + i);
        }
        int[][] evaluated = run.metrics().get("test").confusion();
        for (int c = 0; c < classes.size(); c++) {
            assertArrayEquals(evaluated[c], confusion[c], "row " + classes.get(c) + " of the test confusion matrix");
        }
    }

    @Test
    void aClassifiersBundleGivesTheEvaluatedAccuracyAndLoss() {
        TrainedModels.Trained trained = TrainedModels.classifier();
        SequenceSet test = trained.run().data().test();
        List<Classification> answers = RnnModel.load(trained.bundle()).classify(TrainedModels.sequences(test));
        int right = 0;
        double loss = 0;
        for (int i = 0; i < test.size(); i++) {
            right += answers.get(i).index() == test.classOf(i) ? 1 : 0;
            loss -= Math.log(Math.max(answers.get(i).probabilities()[test.classOf(i)], 1e-12));
        }
        Map<String, Double> metrics = trained.run().metrics().get("test").values();
        assertEquals(metrics.get("accuracy"), (double) right / test.size(), 1e-12);
        assertEquals(metrics.get("loss"), loss / test.size(), 1e-12);
    }

    @Test
    void aTextClassifiersBundleReadsTheTextAsEvaluated() throws IOException {
        Random random = new Random(3);
        List<String> good = List.of("fine", "great", "tasty", "warm");
        List<String> bad = List.of("cold", "stale", "slow", "rude");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            List<String> words = i % 2 == 0 ? good : bad;
            text.append(words.get(random.nextInt(4))).append(' ').append(words.get(random.nextInt(4)))
                    .append(random.nextBoolean() ? " food" : "").append('\t').append(i % 2 == 0 ? "pos" : "neg").append('\n');
        }
        Path file = Files.writeString(dir.resolve("reviews.txt"), text);
        ExperimentRunner.RunResult run = train(ConfigLoader.parse("""
                name: reviews
                data: {format: text, path: %s, normalizer: none, split: {train: 0.6, validation: 0.2, test: 0.2},
                       text: {unit: word, mode: lines, labelSeparator: "\\t", sequenceLength: 5}}
                model: {embeddingSize: 3, layers: [{type: gru, units: 4}]}
                training: {epochs: 2, batchSize: 8}
                """.formatted(file), "reviews.yaml", List.of()), "reviews");
        SequenceSet test = run.data().test();
        List<Classification> answers = RnnModel.load(run.directory().resolve("model.zip")).classify(TrainedModels.sequences(test));
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            right += answers.get(i).index() == test.classOf(i) ? 1 : 0;
        }
        assertEquals(run.metrics().get("test").get("accuracy"), (double) right / test.size(), 1e-12);
    }

    @Test
    void aBidirectionalPerStepClassifierAnswersEveryStepOfWholeSequencesAsEvaluated() throws IOException {
        ExperimentRunner.RunResult run = perStepClassifier(dir, true);
        RnnModel model = RnnModel.load(run.directory().resolve("model.zip"));
        SequenceSet test = run.data().test();
        List<List<Classification>> answers = model.classifySteps(TrainedModels.sequences(test));
        int k = run.data().classes().size();
        int[][] confusion = new int[k][k];
        for (int i = 0; i < test.size(); i++) {
            assertEquals(test.sequence(i).length, answers.get(i).size(), "a class for every step of sequence " + i);
            for (int t = 0; t < answers.get(i).size(); t++) {
                confusion[test.classAt(i, t)][answers.get(i).get(t).index()]++;
            }
        }
        int[][] evaluated = run.metrics().get("test").confusion();
        for (int c = 0; c < k; c++) {
            assertArrayEquals(evaluated[c], confusion[c]);
        }
        for (int i = 0; i < test.size(); i++) {
            // alone, unpadded, the backward half reads the same steps as in the padded batch
            List<Classification> alone = model.classifySteps(test.sequence(i));
            for (int t = 0; t < alone.size(); t++) {
                assertArrayEquals(answers.get(i).get(t).probabilities(), alone.get(t).probabilities(), 1e-5, "sequence " + i + ", step " + t);
            }
        }
        String refusal = assertThrows(UnsupportedByModelException.class, () -> model.classify(test.sequence(0))).getMessage();
        assertTrue(refusal.contains("answers at every step: use classifySteps()"), refusal);
        assertThrows(UnsupportedByModelException.class, model::openStream);
    }

    @Test
    void forecastersBundlesGiveTheEvaluatedErrors() throws IOException {
        assertSameMae(TrainedModels.forecaster(), m -> m.predict(TrainedModels.sequences(testOf(TrainedModels.forecaster()))));
        TrainedModels.Trained minMax = TrainedModels.twoColumnForecaster();
        assertSameMae(minMax, m -> m.predict(TrainedModels.sequences(testOf(minMax))));
        Path series = TrainedModels.series(dir.resolve("series.csv"), 140, false);
        ExperimentRunner.RunResult recursive = train(Yaml.load("""
                name: recursive
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: t, valueColumns: [value]}
                  window: {lookback: 8, horizon: 3, strategy: recursive}
                  split: {train: 0.7, validation: 0.15, test: 0.15}
                model: {layers: [{type: lstm, units: 5}]}
                training: {epochs: 2, batchSize: 16, earlyStopping: {metric: mae}}
                """.formatted(series)), "recursive");
        assertSameMae(new TrainedModels.Trained(recursive, recursive.directory().resolve("model.zip")),
                m -> m.predict(TrainedModels.sequences(recursive.data().test())));
    }

    @Test
    void regressorsBundlesGiveTheEvaluatedErrorsPerSequenceAndPerStep() throws IOException {
        ExperimentRunner.RunResult adding = train(Yaml.load(Yaml.MINIMAL, "task.kind=regression", "data.generator.kind=adding",
                "training.earlyStopping.metric=mae"), "adding");
        assertSameMae(new TrainedModels.Trained(adding, adding.directory().resolve("model.zip")),
                m -> m.predict(TrainedModels.sequences(adding.data().test())));
        ExperimentRunner.RunResult denoising = train(Yaml.load(Yaml.MINIMAL, "task.kind=regression", "task.topology=many-to-many",
                "data.generator.kind=denoising", "training.earlyStopping.metric=mae"), "denoising");
        Path bundle = denoising.directory().resolve("model.zip");
        RnnModel model = RnnModel.load(bundle);
        assertTrue(model.answersPerStep());
        List<double[][]> steps = model.predictSteps(TrainedModels.sequences(denoising.data().test()));
        assertEquals(denoising.metrics().get("test").get("mae"), mae(steps, denoising.data().test()), 1e-9);
        // rnnkit predict on the test charts as rows: a row per step holding the same values
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < denoising.data().test().size(); i++) {
            double[][] chart = denoising.data().test().sequence(i);
            for (int t = 0; t < chart.length; t++) {
                rows.append(t == 0 ? "" : ",").append(chart[t][0]);
            }
            rows.append('\n');
        }
        CliTest.Outcome o = CliTest.rnnkit("predict", "--model", bundle.toString(), "--input",
                Files.writeString(dir.resolve("charts.csv"), rows).toString());
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals("line,step,value", lines.get(0));
        int row = 1;
        for (int i = 0; i < steps.size(); i++) {
            for (int t = 0; t < steps.get(i).length; t++) {
                assertEquals((i + 1) + "," + (t + 1) + "," + steps.get(i)[t][0], lines.get(row++));
            }
        }
        assertEquals(lines.size(), row, "no other rows");
        ExperimentRunner.RunResult charts = train(Yaml.load(Yaml.MINIMAL, "task.kind=regression", "task.topology=one-to-many",
                "data.generator.kind=chart-synthesis", "training.earlyStopping.metric=mae"), "charts");
        SequenceSet test = charts.data().test();
        List<double[]> vectors = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            vectors.add(test.sequence(i)[0]);
        }
        List<double[][]> made = RnnModel.load(charts.directory().resolve("model.zip")).generate(vectors);
        assertEquals(charts.metrics().get("test").get("mae"), mae(made, test), 1e-9);
    }

    private ExperimentRunner.RunResult train(LoadedConfig config, String name) {
        return ExperimentRunner.run(config, dir.resolve(name), TrainingProgress.SILENT);
    }

    private static SequenceSet testOf(TrainedModels.Trained trained) {
        return trained.run().data().test();
    }

    /** The test MAE of a model's answers (one row per sequence) equals the one in the run's metrics. */
    private static void assertSameMae(TrainedModels.Trained trained, java.util.function.Function<RnnModel, List<double[]>> answer) {
        SequenceSet test = testOf(trained);
        List<double[][]> rows = answer.apply(RnnModel.load(trained.bundle())).stream().map(r -> new double[][]{r}).toList();
        double expected = trained.run().metrics().get("test").get("mae");
        assertEquals(expected, mae(rows, test), 1e-9 * Math.max(1, Math.abs(expected)), trained.bundle().toString());
    }

    /** Mean |answer − target| over every answered step (one for a per-sequence answer) and value, in evaluation order. */
    private static double mae(List<double[][]> answers, SequenceSet test) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < test.size(); i++) {
            double[][] rows = answers.get(i);
            for (int t = 0; t < rows.length; t++) {
                double[] target = rows.length == 1 && !test.perStep() ? test.target(i) : test.targetAt(i, t);
                for (int j = 0; j < target.length; j++) {
                    sum += Math.abs(rows[t][j] - target[j]);
                    n++;
                }
            }
        }
        return sum / n;
    }
}
