package io.rnnkit.cli;

import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.bundle.UnsupportedByModelException;
import io.rnnkit.config.Task;
import io.rnnkit.data.DataException;
import io.rnnkit.data.PredictionInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", description = {"Run a saved model on every sequence of a file in the layout it was trained on.",
        "Writes CSV: the input's line (file, or time for a series), then the label and the probability of each class,"
                + " or the predicted values; a per-step (many-to-many) model writes one row per step, the step (from 1) after"
                + " the input's key; for a vector-to-sequence model, the sequence made from each row's vector."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Sequences in the model's training layout (rows: a label column may be present or not;"
                    + " series: every window of the model's lookback is forecast; sequence-files: a folder with features/;"
                    + " text classifier: a text file, every line a text; vector-to-sequence: one vector a row).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the CSV (written whole or not at all); default standard output.")
    Path output;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        RnnModel rnn = RnnModel.load(model);
        InputContract contract = rnn.contract();
        if (rnn.task().readsSymbols()) {
            if (!(rnn.task() instanceof Task.Classifier)) {
                throw new UnsupportedByModelException("predict reads text for text classifiers; this " + rnn.task().describe()
                        + (rnn.task() instanceof Task.Translator ? " translates: use rnnkit translate" : " generates: use rnnkit generate"));
            }
            PredictionInput.Texts lines = PredictionInput.lines(input, rnn.config().data().text().labelSeparator(), contract.classes());
            return write(texts(rnn, lines), lines.texts().size());
        }
        PredictionInput in = rnn.task() instanceof Task.VectorToSequence ? PredictionInput.vectors(rnn.config().data(), input)
                : rnn.read(input);
        in.notes().forEach(n -> System.err.println("note: " + n)); // to standard error: standard output is the CSV
        boolean perStep = rnn.answersPerStep();
        List<String> columns = header(contract);
        if (perStep) {
            columns = new java.util.ArrayList<>(columns);
            columns.add(0, "step");
        }
        StringBuilder csv = new StringBuilder(Csv.row(in.keyName(), columns));
        try {
            if (perStep && contract.isClassification()) {
                List<List<Classification>> answers = rnn.classifySteps(in.sequences());
                for (int i = 0; i < answers.size(); i++) {
                    for (int t = 0; t < answers.get(i).size(); t++) {
                        Classification c = answers.get(i).get(t);
                        csv.append(Csv.row(in.keys().get(i), t + 1, c.label(), c.probabilities()));
                    }
                }
            } else if (perStep) {
                List<double[][]> answers = rnn.predictSteps(in.sequences());
                for (int i = 0; i < answers.size(); i++) {
                    for (int t = 0; t < answers.get(i).length; t++) {
                        csv.append(Csv.row(in.keys().get(i), t + 1, null, answers.get(i)[t]));
                    }
                }
            } else if (rnn.task() instanceof Task.VectorToSequence) {
                List<double[][]> sequences = rnn.generate(in.sequences().stream().map(v -> v[0]).toList());
                for (int i = 0; i < sequences.size(); i++) {
                    csv.append(Csv.row(in.keys().get(i), null, flat(sequences.get(i))));
                }
            } else if (contract.isClassification()) {
                List<Classification> answers = rnn.classify(in.sequences());
                for (int i = 0; i < answers.size(); i++) {
                    csv.append(Csv.row(in.keys().get(i), answers.get(i).label(), answers.get(i).probabilities()));
                }
            } else {
                List<double[]> answers = rnn.predict(in.sequences());
                for (int i = 0; i < answers.size(); i++) {
                    csv.append(Csv.row(in.keys().get(i), null, answers.get(i)));
                }
            }
        } catch (ModelInputException e) {
            if (e.sequenceIndex() < 0) {
                throw e;
            }
            throw new DataException(in.origins().get(e.sequenceIndex()) + ": " + e.detail(), e);
        }
        return write(csv, in.sequences().size());
    }

    /**
     * A text classifier's answers for every line of the input, which the model reads as raw text with the
     * vocabulary in its bundle; a line of its training file (text, separator, class) is read without its class.
     */
    private static StringBuilder texts(RnnModel rnn, PredictionInput.Texts in) {
        StringBuilder csv = new StringBuilder(Csv.row("line", header(rnn.contract())));
        List<Classification> answers;
        try {
            answers = rnn.classifyTexts(in.texts());
        } catch (ModelInputException e) {
            if (e.sequenceIndex() < 0) {
                throw e;
            }
            throw new DataException(in.origins().get(e.sequenceIndex()) + ": " + e.detail(), e);
        }
        for (int i = 0; i < answers.size(); i++) {
            csv.append(Csv.row(in.keys().get(i), answers.get(i).label(), answers.get(i).probabilities()));
        }
        return csv;
    }

    /** Writes the CSV of {@code count} answers to --output (whole or not at all) or standard output. */
    private int write(StringBuilder csv, int count) {
        ResultOutput.write(output, csv, count + " prediction(s) of " + input + " → " + output);
        return 0;
    }

    /** A sequence {@code [time][output]} as one row, time-major. */
    private static double[] flat(double[][] sequence) {
        return java.util.Arrays.stream(sequence).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * The column names after the key: {@code label, p_<class>…}, the names of the values, or for a sequence made
     * from a vector {@code <output>_<step>} for every step (from 1) and output.
     */
    private static List<String> header(InputContract contract) {
        if (contract.isVectorToSequence()) {
            List<String> columns = new java.util.ArrayList<>();
            for (int t = 1; t <= contract.maxLength(); t++) {
                for (String name : contract.classes()) {
                    columns.add(name + "_" + t);
                }
            }
            return columns;
        }
        if (!contract.isClassification()) {
            return contract.classes();
        }
        List<String> columns = new java.util.ArrayList<>();
        columns.add("label");
        contract.classes().forEach(c -> columns.add("p_" + c));
        return columns;
    }

    /** RFC 4180 lines: fields with a comma, quote or line break are quoted, quotes doubled. */
    static final class Csv {
        private Csv() {
        }

        static String row(String key, List<String> names) {
            StringBuilder line = new StringBuilder(field(key));
            names.forEach(n -> line.append(',').append(field(n)));
            return line.append('\n').toString();
        }

        static String row(String key, String label, double[] values) {
            StringBuilder line = new StringBuilder(field(key));
            if (label != null) {
                line.append(',').append(field(label));
            }
            for (double v : values) {
                line.append(',').append(v);
            }
            return line.append('\n').toString();
        }

        /** A row of one step of a sequence: the key, the step (from 1), then as {@link #row(String, String, double[])}. */
        static String row(String key, int step, String label, double[] values) {
            return field(key) + "," + row(Integer.toString(step), label, values);
        }

        static String field(String text) {
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
            return text;
        }
    }
}
