package io.rnnkit.cli;

import io.rnnkit.bundle.Classification;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.bundle.UnsupportedByModelException;
import io.rnnkit.config.HeadConfig;
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
                + " or the predicted values (a forecaster with a quantile or gaussian head, model.head: then each step's quantiles"
                + " but the median, t+1_q0.1, t+1_q0.9, ...); a per-step (many-to-many) model writes one row per step, the step (from 1) after"
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
        if (rnn.task().detectsAnomalies()) {
            return anomalies(rnn);
        }
        PredictionInput in = rnn.task() instanceof Task.VectorToSequence ? PredictionInput.vectors(rnn.config().data(), input)
                : rnn.read(input);
        in.notes().forEach(n -> System.err.println("note: " + n)); // to standard error: standard output is the CSV
        boolean perStep = rnn.answersPerStep();
        List<String> columns = header(contract, rnn.task().head());
        if (perStep) {
            columns = new java.util.ArrayList<>(columns);
            columns.add(0, "step");
        }
        if (!in.idColumns().isEmpty()) {
            return write(series(rnn, in, columns), in.sequences().size());
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
                List<double[]> answers = values(rnn, in);
                for (int i = 0; i < answers.size(); i++) {
                    csv.append(Csv.row(in.keys().get(i), null, answers.get(i)));
                }
            }
        } catch (ModelInputException e) {
            throw atInput(e, in.origins());
        }
        return write(csv, in.sequences().size());
    }

    /**
     * Forecasts of every window of a file of many series, each row keyed by its series' id columns, then the time of
     * its last step ({@code columns}: the forecast steps' names).
     */
    private static StringBuilder series(RnnModel rnn, PredictionInput in, List<String> columns) {
        List<String> header = new java.util.ArrayList<>(in.idColumns().subList(1, in.idColumns().size()));
        header.add(in.keyName());
        header.addAll(columns);
        StringBuilder csv = new StringBuilder(Csv.row(in.idColumns().get(0), header));
        List<double[]> answers;
        try {
            answers = values(rnn, in);
        } catch (ModelInputException e) {
            throw atInput(e, in.origins());
        }
        for (int i = 0; i < answers.size(); i++) {
            List<String> id = in.seriesIds().get(i);
            StringBuilder row = new StringBuilder(Csv.field(id.get(0)));
            id.subList(1, id.size()).forEach(v -> row.append(',').append(Csv.field(v)));
            csv.append(row).append(',').append(Csv.row(in.keys().get(i), null, answers.get(i)));
        }
        return csv;
    }

    /** Per sequence its values: the point forecasts, then a probabilistic head's quantiles ({@link #withQuantiles}). */
    private static List<double[]> values(RnnModel rnn, PredictionInput in) {
        List<double[]> points = rnn.predict(in);
        if (!rnn.task().head().probabilistic()) {
            return points;
        }
        List<Predictor.Intervals> intervals = rnn.forecastIntervals(in);
        List<double[]> out = new java.util.ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            out.add(withQuantiles(points.get(i), intervals.get(i)));
        }
        return out;
    }

    /** The point forecasts, then per step the quantiles but the median (the point forecast): the order of {@link #header}. */
    private static double[] withQuantiles(double[] points, Predictor.Intervals intervals) {
        double[] levels = intervals.levels();
        java.util.stream.DoubleStream.Builder out = java.util.stream.DoubleStream.builder();
        java.util.Arrays.stream(points).forEach(out::add);
        for (double[] quantiles : intervals.quantiles()) {
            for (int l = 0; l < levels.length; l++) {
                if (levels[l] != 0.5) {
                    out.add(quantiles[l]);
                }
            }
        }
        return out.build().toArray();
    }

    /** A fault of one input sequence as a fault of the file at its line; a fault of no one sequence as it is. */
    private static RuntimeException atInput(ModelInputException e, List<String> origins) {
        return e.sequenceIndex() < 0 ? e : new DataException(origins.get(e.sequenceIndex()) + ": " + e.detail(), e);
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
            throw atInput(e, in.origins());
        }
        for (int i = 0; i < answers.size(); i++) {
            csv.append(Csv.row(in.keys().get(i), answers.get(i).label(), answers.get(i).probabilities()));
        }
        return csv;
    }

    /**
     * An anomaly detector's reading of the whole input series, a row per step: the key (time or line), the value of
     * the target, its one-step forecast and error, the score, whether it is flagged, and its event (from 1; empty
     * when not flagged). Steps before the first whole window have empty forecast, error and score.
     */
    private int anomalies(RnnModel rnn) {
        PredictionInput.SeriesSteps series = PredictionInput.series(rnn.config().data(), input, rnn.categories());
        io.rnnkit.bundle.AnomalyDetection detection;
        try {
            detection = rnn.detect(series.values());
        } catch (ModelInputException e) {
            throw new DataException(input + ": " + e.detail(), e);
        }
        int target = rnn.contract().forecast().targetFeature();
        int[] event = new int[detection.steps()];
        for (int e = 0; e < detection.events().size(); e++) {
            io.rnnkit.bundle.AnomalyCalibration.Event ev = detection.events().get(e);
            for (int t = ev.start(); t <= ev.end(); t++) {
                event[t] = detection.flags()[t] ? e + 1 : 0;
            }
        }
        StringBuilder csv = new StringBuilder(Csv.row(series.keyName(), List.of(rnn.contract().forecast().target(), "forecast", "error", "score",
                "flagged", "event")));
        for (int t = 0; t < detection.steps(); t++) {
            csv.append(Csv.field(series.keys().get(t))).append(',').append(series.values()[t][target]).append(',')
                    .append(blankIfNaN(detection.forecasts()[t])).append(',').append(blankIfNaN(detection.errors()[t])).append(',')
                    .append(blankIfNaN(detection.scores()[t])).append(',').append(detection.flags()[t] ? 1 : 0).append(',')
                    .append(event[t] == 0 ? "" : Integer.toString(event[t])).append('\n');
        }
        return write(csv, detection.steps());
    }

    private static String blankIfNaN(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
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
    /** {@link #header(InputContract)}, then for a probabilistic head each step's quantiles but the median: {@code t+1_q0.1}. */
    private static List<String> header(InputContract contract, HeadConfig head) {
        if (!head.probabilistic()) {
            return header(contract);
        }
        List<String> columns = new java.util.ArrayList<>(contract.classes());
        for (String step : contract.classes()) {
            head.levels().stream().filter(p -> p != 0.5).forEach(p -> columns.add(step + "_q" + p));
        }
        return columns;
    }

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
