package io.rnnkit.cli;

import io.rnnkit.AtomicFiles;
import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.data.DataException;
import io.rnnkit.data.PredictionInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", description = {"Run a saved model on every sequence of a file in the layout it was trained on.",
        "Writes CSV: the input's line (file, or time for a series), then the label and the probability of each class,"
                + " or the predicted values."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "Sequences in the model's training layout (rows: a label column may be present or not;"
                    + " series: every window of the model's lookback is forecast; sequence-files: a folder with features/).")
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
        PredictionInput in = PredictionInput.read(rnn.config().data(), input, contract.features(),
                contract.fixedLength() ? contract.maxLength() : 0);
        StringBuilder csv = new StringBuilder(Csv.row(in.keyName(), header(contract)));
        try {
            if (contract.isClassification()) {
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
        if (output == null) {
            System.out.print(csv);
        } else {
            AtomicFiles.write(output, csv.toString().getBytes(StandardCharsets.UTF_8));
            System.out.println(in.sequences().size() + " prediction(s) of " + input + " → " + output);
        }
        return 0;
    }

    /** The column names after the key: {@code label, p_<class>…} or the names of the values. */
    private static List<String> header(InputContract contract) {
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

        static String field(String text) {
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
            return text;
        }
    }
}
