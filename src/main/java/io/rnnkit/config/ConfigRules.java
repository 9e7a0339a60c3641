package io.rnnkit.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules that span several fields, checked once at load after every field is known to be well-formed.
 * These are the misconfigurations DL4J would discover late, or silently ignore.
 */
final class ConfigRules {
    private ConfigRules() {
    }

    static List<Problem> check(ExperimentConfig c, ConfigLocations where, boolean checkFiles) {
        List<Problem> out = new ArrayList<>();
        DataConfig data = c.data();
        TaskKind kind = c.task().kind();

        switch (data.format()) {
            case ROWS, SERIES, TS, ARFF -> requireExisting(data.path(), "data.path", false, checkFiles, where, out);
            case TEXT -> textFiles(c, checkFiles, where, out);
            case SEQUENCE_FILES -> requireExisting(data.path(), "data.path", true, checkFiles, where, out);
            case GENERATED -> {
                if (data.path() != null) {
                    out.add(where.problem("data.path", "format: generated makes its own data and reads no file; remove data.path"));
                }
            }
        }
        if (!data.paths().isEmpty() && data.format() != DataFormat.TEXT) {
            out.add(where.problem("data.paths", "pools files of format: text only; format: " + YamlNames.of(data.format()) + " reads data.path"));
        }
        if (data.testPath() != null) {
            if (data.format() == DataFormat.GENERATED || data.format() == DataFormat.SERIES || data.format() == DataFormat.TEXT) {
                out.add(where.problem("data.testPath", "format: " + YamlNames.of(data.format())
                        + " splits its own data; data.testPath is for rows, sequence-files, ts and arff"));
            } else {
                requireExisting(data.testPath(), "data.testPath", data.format() == DataFormat.SEQUENCE_FILES, checkFiles, where, out);
            }
            if (data.split().test() > 0) {
                out.add(where.problem("data.split.test", "must be 0 when data.testPath gives the test set, got " + data.split().test()));
            }
        } else {
            double sum = data.split().train() + data.split().validation() + data.split().test();
            if (Math.abs(sum - 1) > 1e-6) {
                out.add(where.problem("data.split", "train + validation + test must be 1, got " + (float) sum));
            }
            if (data.split().test() == 0) {
                out.add(where.problem("data.split.test", "is 0 and there is no data.testPath: the run would have no test set"));
            }
        }
        boolean withTestFile = data.testPath() != null;
        if (withTestFile && Math.abs(data.split().train() + data.split().validation() - 1) > 1e-6) {
            out.add(where.problem("data.split", "with data.testPath, train + validation must be 1 (fractions of the training file), got "
                    + (float) (data.split().train() + data.split().validation())));
        }

        LabelsConfig labels = data.labels();
        if (data.format() == DataFormat.ROWS) {
            if (labels.from() == null && kind == TaskKind.CLASSIFICATION) {
                out.add(where.problem("data.labels.from", "classification from rows needs to know where each row's class is: first-column, last-column or row-blocks"));
            }
            if (labels.from() == LabelSource.ROW_BLOCKS) {
                if (labels.blockSize() == null) {
                    out.add(where.problem("data.labels.blockSize", "from: row-blocks needs blockSize, the number of consecutive rows per class"));
                }
                if (labels.classes().isEmpty()) {
                    out.add(where.problem("data.labels.classes", "from: row-blocks needs the class names, in the order their blocks appear"));
                }
                if (kind != TaskKind.CLASSIFICATION) {
                    out.add(where.problem("data.labels.from", "row-blocks gives classes, but task.kind is " + YamlNames.of(kind)));
                }
            }
        } else if (labels.from() != null) {
            out.add(where.problem("data.labels.from", "applies to format: rows only; " + YamlNames.of(data.format())
                    + (data.format() == DataFormat.SEQUENCE_FILES ? " reads labels from the labels/ folder"
                    : archive(data.format()) ? " reads each case's label from the file" : " makes its own labels")));
        }
        if (archive(data.format())) {
            archiveRules(c, where, out);
        }
        // an anomaly detector's windows only measure it: it learns from the series alone
        boolean tagged = labels.windows() != null && kind != TaskKind.ANOMALY;
        if (tagged) {
            windowLabelRules(c, checkFiles, where, out);
        } else {
            if (labels.key() != null && labels.windows() == null) {
                out.add(where.problem("data.labels.key", "picks a series in a JSON windows file, but data.labels.windows is not given"));
            }
            if (data.window().length() != null) {
                out.add(where.problem("data.window.length", "applies to a series tagged per step (data.labels.windows); a forecast's"
                        + " windows are lookback + horizon steps"));
            }
        }
        if (labels.blockSize() != null && labels.from() != LabelSource.ROW_BLOCKS) {
            out.add(where.problem("data.labels.blockSize", "applies to from: row-blocks only"));
        }
        if (labels.classes().stream().distinct().count() != labels.classes().size()) {
            out.add(where.problem("data.labels.classes", "class names must be distinct"));
        }
        Topology topology = c.task().topology();
        if (data.format() == DataFormat.GENERATED) {
            GeneratorKind generator = data.generator().kind();
            if (generator.topology() != topology) {
                out.add(where.problem("task.topology", "the " + YamlNames.of(generator) + " generator makes a " + YamlNames.of(generator.topology())
                        + " task; set task.topology: " + YamlNames.of(generator.topology())));
            }
            if (generator.kind() != kind) {
                out.add(where.problem("task.kind", "the " + YamlNames.of(generator) + " generator makes a " + YamlNames.of(generator.kind())
                        + " task; set task.kind: " + YamlNames.of(generator.kind())));
            }
        }
        if (topology == Topology.MANY_TO_MANY && (data.format() == DataFormat.ROWS || data.format() == DataFormat.SERIES && !tagged)) {
            out.add(where.problem("task.topology", "many-to-many needs a label at every step, which format: " + YamlNames.of(data.format())
                    + " does not give; use sequence-files with a label row per step (or a per-step generator)"
                    + (data.format() == DataFormat.SERIES ? ", or label the series' steps from incident windows (data.labels.windows)" : "")));
        }
        if (data.format() != DataFormat.SERIES && (!data.missing().markers().isEmpty() || !data.missing().columns().isEmpty())) {
            out.add(where.problem("data.missing", "applies to format: series only (rows and sequence files must be complete)"));
        }
        if (data.separator() != null && data.separator().charAt(0) == data.decimal().character()) {
            out.add(where.problem("data.separator", "'" + data.separator() + "' is also the decimal mark (data.decimal); use ';' with decimal: comma"));
        }
        if (data.separator() == null && data.delimiter().character() != null && data.delimiter().character() == data.decimal().character()) {
            out.add(where.problem("data.decimal", "the decimal mark is also data.delimiter; with decimal: comma use delimiter: semicolon"));
        }
        if (kind == TaskKind.ANOMALY) {
            anomalyRules(c, checkFiles, where, out);
        } else if (!c.task().anomaly().equals(AnomalyConfig.DEFAULTS)) {
            out.add(where.problem("task.anomaly", "applies to task.kind: anomaly only; task.kind is " + YamlNames.of(kind)));
        }
        for (int i = 0; i < data.categorical().size(); i++) {
            String feature = data.categorical().get(i);
            List<String> names = java.util.stream.IntStream.rangeClosed(1, data.features()).mapToObj(f -> "x" + f).toList();
            if (data.format() != DataFormat.ROWS && data.format() != DataFormat.SEQUENCE_FILES) {
                out.add(where.problem("data.categorical", "applies to format: rows and sequence-files; a series lists its text columns in"
                        + " data.series.categorical"));
                break;
            } else if (data.format() == DataFormat.SEQUENCE_FILES && !feature.matches("x[1-9][0-9]*")) {
                // the files say how many columns a step has: the range is checked when they are read
                out.add(where.problem("data.categorical[" + i + "]", "'" + feature + "' is not a column of a step: x1, x2, …"));
            } else if (data.format() == DataFormat.ROWS && !names.contains(feature)) {
                out.add(where.problem("data.categorical[" + i + "]", "'" + feature + "' is not a feature of a step: x1 … x" + data.features()
                        + " (data.features: " + data.features() + ")" + YamlNames.didYouMean(feature, names)));
            } else if (data.categorical().indexOf(feature) != i) {
                out.add(where.problem("data.categorical[" + i + "]", "'" + feature + "' is listed twice"));
            }
        }
        if (data.format() == DataFormat.SERIES) {
            if (kind == TaskKind.CLASSIFICATION && !tagged) {
                out.add(where.problem("task.kind", "a series is forecast (regression) or scanned for anomalies (anomaly); set task.kind: regression"
                        + " (or label its steps from incident windows with data.labels.windows)"));
            }
            SeriesConfig series = data.series();
            if (series.timeFormat() != null && series.timeSources().isEmpty()) {
                out.add(where.problem("data.series.timeFormat", "needs data.series.timeColumn (or timeColumns)"));
            }
            if (series.timeColumn() != null && !series.timeColumns().isEmpty()) {
                out.add(where.problem("data.series.timeColumns", "give the time as one timeColumn or as timeColumns, not both"));
            }
            boolean timed = !series.timeSources().isEmpty();
            if (!timed && (series.order() != TimeOrder.REFUSE || series.duplicates().declared()
                    || series.cadence() != null || series.gapFill() != GapFill.NONE)) {
                out.add(where.problem("data.series", "order, duplicates, cadence and gapFill need a time: set data.series.timeColumn or timeColumns"));
            }
            if ((series.gapFill() == GapFill.NONE) != (series.maxGap() == 0)) {
                out.add(where.problem("data.series.maxGap", series.gapFill() == GapFill.NONE
                        ? "fills gaps only with a gapFill (forward-fill or linear)" : "gapFill needs the longest gap to fill, such as maxGap: 3"));
            }
            for (int i = 0; i < series.categorical().size(); i++) {
                String column = series.categorical().get(i);
                if (series.timeSources().contains(column)) {
                    out.add(where.problem("data.series.categorical[" + i + "]", "'" + column + "' is a time column"));
                } else if (!series.valueColumns().isEmpty() && !series.valueColumns().contains(column)
                        && !series.futureColumns().contains(column) && !series.staticColumns().contains(column)) {
                    out.add(where.problem("data.series.categorical[" + i + "]", "'" + column + "' is not among data.series.valueColumns "
                            + series.valueColumns() + ", futureColumns or staticColumns"));
                }
                if (column.equals(series.target())) {
                    out.add(where.problem("data.series.categorical[" + i + "]", "'" + column + "' is the forecast target, which must be a number"));
                }
            }
            panelRules(data, where, out);
            covariateRules(data, where, out);
            if (kind == TaskKind.ANOMALY && series.covariates()) {
                out.add(where.problem("data.series", "covariates (futureColumns, staticColumns, calendar) are inputs of forecasters;"
                        + " an anomaly detector scores the series' own values"));
            }
            duplicateRules(series, where, out);
            if (data.window().recursive()) {
                List<String> columns = data.series().valueColumns();
                if (columns.size() > 1) {
                    out.add(where.problem("data.window.strategy", "recursive forecasts are fed back as the next input step, so the"
                            + " target must be the only value column; set data.series.valueColumns to [the target] or use strategy: direct"));
                }
                if (data.window().reference() != WindowReference.NONE) {
                    out.add(where.problem("data.window.reference", "recursive forecasting keeps the recurrent state while forecasts are"
                            + " fed back, but relative windows measure every input against the window's last observation, which"
                            + " changes with each fed-back step; use reference: none (with a normalizer) or strategy: direct"));
                }
            }
        } else if (data.window().recursive()) {
            out.add(where.problem("data.window.strategy", "applies to format: series only"));
        }
        boolean text = data.format() == DataFormat.TEXT;
        boolean translation = topology == Topology.SEQUENCE_TO_SEQUENCE;
        boolean vectorToSequence = data.format() == DataFormat.GENERATED && data.generator().kind() == GeneratorKind.CHART_SYNTHESIS;
        if (topology == Topology.ONE_TO_MANY && !text && !vectorToSequence) {
            out.add(where.problem("task.topology", "one-to-many generates text from a seed (data.format: text) or a sequence from one"
                    + " vector (data.format: generated with generator.kind: chart-synthesis)"));
        }
        if (translation && !text && data.format() != DataFormat.GENERATED) {
            out.add(where.problem("task.topology", "sequence-to-sequence reads pairs of symbol sequences: use data.format: text (source, tab,"
                    + " target on each line) or a generator of pairs (dates, addition, reversal)"));
        }
        if (translation && data.format() == DataFormat.GENERATED) {
            symbolInputRules(c, where, out);
        }
        if (text) {
            symbolInputRules(c, where, out);
            boolean labelled = data.text().labelSeparator() != null;
            if (topology == Topology.MANY_TO_ONE && !labelled) {
                out.add(where.problem("data.text.labelSeparator", "classifying lines of text needs each line's class after a separator, such as \"\\t\""));
            }
            if (topology != Topology.MANY_TO_ONE && labelled) {
                out.add(where.problem("data.text.labelSeparator", translation
                        ? "sequence-to-sequence lines are a source, a tab and a target; remove data.text.labelSeparator"
                        : "labels belong to many-to-one text classification; generation learns from the text itself"));
            }
            if (translation && data.text().mode() != TextMode.LINES) {
                out.add(where.problem("data.text.mode", "sequence-to-sequence reads one pair per line: set mode: lines"));
            }
            if (topology == Topology.MANY_TO_MANY) {
                out.add(where.problem("task.topology", "text is many-to-one (classify lines) or one-to-many (generate)"));
            }
            if (labelled && data.text().mode() != TextMode.LINES) {
                out.add(where.problem("data.text.mode", "labelled text is read a line at a time: set mode: lines"));
            }
        } else if (c.model().embeddingSize() > 0 && !translation) {
            out.add(where.problem("model.embeddingSize", "applies to symbol input only (format: text, or a sequence-to-sequence generator)"));
        }
        for (int i = 0; i < c.model().layers().size(); i++) {
            LayerConfig layer = c.model().layers().get(i);
            if (layer.type() == CellType.GRU && layer.implementation() == Implementation.DL4J) {
                out.add(where.problem("model.layers[" + i + "].implementation", "DL4J has no GRU; a gru layer runs"
                        + " rnnkit's implementation (remove the field or set rnnkit)"));
            }
        }
        if (topology == Topology.ONE_TO_MANY && text || translation) {
            for (int i = 0; i < c.model().layers().size(); i++) {
                if (c.model().layers().get(i).bidirectional()) {
                    out.add(where.problem("model.layers[" + i + "].bidirectional", (translation ? "decoding" : "generation")
                            + " runs one step at a time, which a bidirectional layer"
                            + " cannot (its backward half needs the whole sequence first); use a one-way layer"));
                }
            }
        }
        if (data.format() != DataFormat.SERIES && data.window().reference() != WindowReference.NONE) {
            out.add(where.problem("data.window.reference", "applies to format: series only"));
        }
        if (data.format() != DataFormat.ROWS && data.features() != 1) {
            out.add(where.problem("data.features", "applies to format: rows only (other layouts know their feature count)"));
        }
        if (data.segments() > 0) {
            if (data.format() != DataFormat.TS && data.format() != DataFormat.ARFF && data.format() != DataFormat.SEQUENCE_FILES) {
                out.add(where.problem("data.segments", "applies to formats ts, arff and sequence-files"
                        + (data.format() == DataFormat.ROWS ? " (rows: data.features groups a row's values into steps)" : "")));
            } else if (c.task().topology() != Topology.MANY_TO_ONE) {
                out.add(where.problem("data.segments", "averages steps together, which a label per step cannot follow; use it with"
                        + " task.topology: many-to-one"));
            } else if (!data.categorical().isEmpty()) { // averaged, a category's text would be lost (read as zeros before)
                out.add(where.problem("data.segments", "averages steps together, which categorical features (data.categorical) cannot"
                        + " be; remove one of the two"));
            }
        }
        augmentationRules(c, where, out);

        boolean hasValidation = data.split().validation() > 0;
        EarlyStoppingConfig early = c.training().earlyStopping();
        if (!early.metric().appliesTo(kind)) {
            out.add(where.problem("training.earlyStopping.metric", YamlNames.of(early.metric()) + " is not a metric of a "
                    + YamlNames.of(kind) + " task; use " + metricsOf(kind)));
        }
        if (!hasValidation && (early.patience() > 0 || early.restoreBest())) {
            out.add(where.problem("data.split.validation", "is 0, so no epoch can be chosen on validation data; give it a fraction, or set"
                    + " training.earlyStopping.patience: 0 and restoreBest: false"));
        }
        if (!c.training().classWeights().none() && kind != TaskKind.CLASSIFICATION) {
            out.add(where.problem("training.classWeights", "weigh the classes of a classification task; task.kind is " + YamlNames.of(kind)));
        }
        TrainingRules.check(c, where, out);
        if (c.training().tbpttLength() > 0 && c.task().topology() == Topology.MANY_TO_ONE) {
            out.add(where.problem("training.tbpttLength", "truncated BPTT needs a label at every step, but a many-to-one network has one"
                    + " label per sequence; use 0 (full BPTT)"));
        }
        HeadConfig head = c.model().head();
        if (head.probabilistic() && out.isEmpty() && !(Task.of(c) instanceof Task.DirectForecaster)) {
            out.add(where.problem("model.head.type", "a " + YamlNames.of(head.type()) + " head gives prediction intervals for a direct"
                    + " forecaster (format: series, window strategy direct, task.kind regression); this config is a " + Task.of(c).describe()
                    + "; remove model.head or use type: point"));
        }
        String blocker = c.training().ensemble().enabled() && out.isEmpty() ? Task.of(c).ensembleBlocker() : null;
        if (blocker != null) {
            out.add(where.problem("training.ensemble.members", "must be 1 for a " + Task.of(c).describe() + ": " + blocker));
        }
        if (c.evaluation().backtest() != null && out.isEmpty()) {
            backtestRules(c, where, out);
        }
        return out;
    }

    /** A backtest forecasts from origins of a series' test part: a forecaster's, within the horizon it was trained for. */
    private static void backtestRules(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        BacktestConfig backtest = c.evaluation().backtest();
        Task task = Task.of(c);
        if (task.forecastStrategy() == null || task.detectsAnomalies()) {
            out.add(where.problem("evaluation.backtest", "backtests a forecaster (format: series, task.kind: regression); this config is a "
                    + task.describe() + "; remove evaluation.backtest"));
            return;
        }
        WindowConfig window = c.data().window();
        if (backtest.horizon() != null && backtest.horizon() > window.horizon()) {
            out.add(where.problem("evaluation.backtest.horizon", backtest.horizon() + " steps is longer than the model forecasts"
                    + " (data.window.horizon: " + window.horizon() + "); use at most " + window.horizon() + " or train for a longer horizon"));
        }
        if (backtest.step() % window.stride() != 0) {
            out.add(where.problem("evaluation.backtest.step", "origins are the test windows' first targets, which lie data.window.stride ("
                    + window.stride() + ") apart; use a multiple of it, got " + backtest.step()));
        }
    }

    /**
     * An anomaly detector is a one-step direct forecaster over one long series, so its errors at consecutive steps
     * can be scored; its network answers once per window.
     */
    private static void anomalyRules(ExperimentConfig c, boolean checkFiles, ConfigLocations where, List<Problem> out) {
        DataConfig data = c.data();
        if (data.format() != DataFormat.SERIES) {
            out.add(where.problem("task.kind", "anomaly detection scans one long series: set data.format: series"));
            return;
        }
        if (c.task().topology() != Topology.MANY_TO_ONE) {
            out.add(where.problem("task.topology", "an anomaly detector forecasts the next step from each window (many-to-one); remove task.topology"));
        }
        if (data.window().horizon() != 1) {
            out.add(where.problem("data.window.horizon", "an anomaly detector scores each step by its one-step forecast; set horizon: 1"));
        }
        if (data.window().recursive()) {
            out.add(where.problem("data.window.strategy", "an anomaly detector forecasts one step directly; use strategy: direct"));
        }
        if (data.split().train() + data.split().validation() >= 1 - 1e-9) {
            out.add(where.problem("data.split", "the threshold is chosen on the training part and the detector is tested after it; keep a test fraction"));
        }
        if (data.labels().windows() != null) {
            // the windows measure the detector, which learns without them; they are times, so the series needs its time
            requireExisting(data.labels().windows(), "data.labels.windows", false, checkFiles, where, out);
            if (data.series().timeSources().isEmpty()) {
                out.add(where.problem("data.series.timeColumn", "the windows are times, so the series needs its time: name its time column"));
            }
        }
    }

    /**
     * A series labelled per step from incident windows: a many-to-many classification over chunks of the series,
     * whose windows are times (so the series has a time), cut by length and stride (forecast settings do not apply).
     */
    private static void windowLabelRules(ExperimentConfig c, boolean checkFiles, ConfigLocations where, List<Problem> out) {
        DataConfig data = c.data();
        if (data.format() != DataFormat.SERIES) {
            out.add(where.problem("data.labels.windows", "applies to format: series only: its steps are labelled from the windows' times"));
            return;
        }
        requireExisting(data.labels().windows(), "data.labels.windows", false, checkFiles, where, out);
        if (c.task().topology() != Topology.MANY_TO_MANY) {
            out.add(where.problem("task.topology", "labels from windows tag every step of the series: set task.topology: many-to-many"));
        }
        if (c.task().kind() != TaskKind.CLASSIFICATION) {
            out.add(where.problem("task.kind", "labels from windows are classes (normal and the windows' labels): set task.kind: classification"));
        }
        if (data.series().timeSources().isEmpty()) {
            out.add(where.problem("data.series.timeColumn", "the windows are times, so the series needs its time: name its time column"));
        }
        WindowConfig window = data.window();
        if (window.length() == null) {
            out.add(where.problem("data.window.length", "a series tagged per step is cut into chunks: give their length in steps, such as 96"));
        }
        if (window.horizon() != 1 || window.recursive() || window.reference() != WindowReference.NONE) {
            out.add(where.problem("data.window", "horizon, strategy and reference belong to forecasts; a series tagged per step is cut by"
                    + " length and stride only"));
        }
        if (data.series().seasonalPeriod() != 1) {
            out.add(where.problem("data.series.seasonalPeriod", "serves the forecast baselines; a series tagged per step has none"));
        }
        if (data.series().target() != null) {
            out.add(where.problem("data.series.target", "names the column to forecast; a series tagged per step reads every value column"
                    + " as input and takes its classes from data.labels.windows"));
        }
        if (!data.series().categorical().isEmpty()) {
            // the bundle keeps a series' categories with its forecast settings, which a tagger has none of
            out.add(where.problem("data.series.categorical", "a series tagged per step reads numeric value columns only, for now"));
        }
    }

    /**
     * A UEA/UCR archive file holds one label per case and knows its own layout: many-to-one only, with no
     * lines to skip.
     */
    /** A per-column duplicate policy must name a value column once, and suit its kind (numbers: mean; categories: any). */
    private static void duplicateRules(SeriesConfig series, ConfigLocations where, List<Problem> out) {
        DuplicatesConfig duplicates = series.duplicates();
        if (duplicates.policy() == DuplicatePolicy.ANY) {
            out.add(where.problem("data.series.duplicates.policy", "any merges a categorical column (every value, multi-hot); the policy of"
                    + " number columns is refuse, first, last or mean"));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < duplicates.columns().size(); i++) {
            DuplicateColumn entry = duplicates.columns().get(i);
            String path = "data.series.duplicates.columns[" + i + "]";
            String column = entry.column();
            boolean categorical = series.categorical().contains(column);
            if (!seen.add(column)) {
                out.add(where.problem(path + ".column", "'" + column + "' is listed twice"));
            } else if (series.timeSources().contains(column)) {
                out.add(where.problem(path + ".column", "'" + column + "' is a time column; rows are merged because they share it"));
            } else if (!series.valueColumns().isEmpty() && !series.valueColumns().contains(column)) {
                out.add(where.problem(path + ".column", "'" + column + "' is not among data.series.valueColumns " + series.valueColumns()
                        + YamlNames.didYouMean(column, series.valueColumns())));
            } else if (categorical && entry.policy() == DuplicatePolicy.MEAN) {
                out.add(where.problem(path + ".policy", "'" + column + "' is categorical: first, last or any (every value, multi-hot), not mean"));
            } else if (!categorical && entry.policy() == DuplicatePolicy.ANY) {
                out.add(where.problem(path + ".policy", "any applies to categorical columns (data.series.categorical); '" + column
                        + "' holds numbers: first, last or mean"));
            }
        }
    }

    private static void archiveRules(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        DataFormat format = c.data().format();
        if (c.task().topology() != Topology.MANY_TO_ONE) {
            out.add(where.problem("task.topology", "a ." + YamlNames.of(format) + " file labels each case once: set task.topology: many-to-one"));
        }
        if (c.data().skipLines() != 0) {
            out.add(where.problem("data.skipLines", "a ." + YamlNames.of(format) + " file's header is read, not skipped; remove data.skipLines"));
        }
    }

    /**
     * Distortions make sense on measured values, not on token indices; a regression target (a sum, a clean
     * signal, a forecast's own future) follows the inputs' magnitudes and times, so only jitter keeps it true.
     */
    private static void augmentationRules(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        AugmentationConfig a = c.training().augmentation();
        if (!a.any()) {
            return;
        }
        DataFormat format = c.data().format();
        if (format == DataFormat.TEXT || c.task().topology() == Topology.SEQUENCE_TO_SEQUENCE) {
            out.add(where.problem("training.augmentation", "token indices cannot be distorted; remove training.augmentation"));
        } else if (c.task().kind() != TaskKind.CLASSIFICATION && (a.scaling() > 0 || a.magnitudeWarp() > 0 || a.timeWarp() > 0)) {
            out.add(where.problem("training.augmentation", "a regression target follows the inputs' magnitudes and times, which scaling"
                    + " and warping the inputs alone would contradict; only jitter applies to regression"));
        } else if (a.timeWarp() > 0 && c.task().topology() != Topology.MANY_TO_ONE) {
            out.add(where.problem("training.augmentation.timeWarp", "moves values in time, away from their per-step labels; use it with"
                    + " task.topology: many-to-one"));
        }
    }

    private static boolean archive(DataFormat format) {
        return format == DataFormat.TS || format == DataFormat.ARFF;
    }

    /** Symbols (tokens of text, or of generated pairs) go in as indices through an embedding and come out as classes. */
    /** Many series in one file: the id columns name series, so they are neither time nor values, and a per-series normalizer needs them. */
    private static void panelRules(DataConfig data, ConfigLocations where, List<Problem> out) {
        SeriesConfig series = data.series();
        for (int i = 0; i < series.idColumns().size(); i++) {
            String column = series.idColumns().get(i);
            String path = "data.series.idColumns[" + i + "]";
            if (series.idColumns().indexOf(column) != i) {
                out.add(where.problem(path, "'" + column + "' is listed twice"));
            } else if (series.timeSources().contains(column)) {
                out.add(where.problem(path, "'" + column + "' is a time column; an id column names a series"));
            } else if (series.valueColumns().contains(column) || column.equals(series.target())
                    || series.categorical().contains(column) && !series.staticColumns().contains(column)) {
                out.add(where.problem(path, "'" + column + "' is also a value column (valueColumns, target or categorical); an id column names"
                        + " a series and is not an input"));
            }
        }
        if (series.normalizerScope() == NormalizerScope.PER_SERIES) {
            if (!series.panel()) {
                out.add(where.problem("data.series.normalizerScope", "per-series needs data.series.idColumns (the columns that name each series)"));
            } else if (data.normalizer() == NormalizerKind.NONE) {
                out.add(where.problem("data.series.normalizerScope", "per-series scales each series by its own statistics, but data.normalizer"
                        + " is none; set normalizer: standardize or min-max, or drop normalizerScope"));
            } else if (data.window().recursive()) {
                out.add(where.problem("data.series.normalizerScope", "per-series statistics are not supported with strategy: recursive yet;"
                        + " use strategy: direct or normalizerScope: global"));
            }
        }
    }

    /**
     * Covariates: each column of one kind (past-only value, known-future, static), none a time column or the target, a
     * calendar from a time column, and a direct forecaster (docs/architecture.md, "Covariates").
     */
    private static void covariateRules(DataConfig data, ConfigLocations where, List<Problem> out) {
        SeriesConfig series = data.series();
        if (!series.covariates()) {
            return;
        }
        java.util.Map<String, String> kinds = new java.util.HashMap<>();
        series.valueColumns().forEach(v -> kinds.put(v, "data.series.valueColumns"));
        for (String list : List.of("futureColumns", "staticColumns")) {
            List<String> columns = list.equals("futureColumns") ? series.futureColumns() : series.staticColumns();
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                String path = "data.series." + list + "[" + i + "]";
                String before = kinds.putIfAbsent(column, "data.series." + list);
                if (before != null) {
                    out.add(where.problem(path, "'" + column + "' is already in " + before + "; a column is of one kind: past-only"
                            + " (valueColumns), known-future (futureColumns) or static (staticColumns)"));
                } else if (series.timeSources().contains(column)) {
                    out.add(where.problem(path, "'" + column + "' is a time column; calendar features come from data.series.calendar"));
                } else if (column.equals(series.target())) {
                    out.add(where.problem(path, "'" + column + "' is the forecast target, which is a past-only value"));
                } else if (list.equals("futureColumns") && series.idColumns().contains(column)) {
                    out.add(where.problem(path, "'" + column + "' is an id column, constant within a series: list it in staticColumns"));
                }
            }
        }
        for (int i = 0; i < series.calendar().size(); i++) {
            if (series.calendar().indexOf(series.calendar().get(i)) != i) {
                out.add(where.problem("data.series.calendar[" + i + "]", "'" + series.calendar().get(i).yamlName() + "' is listed twice"));
            }
        }
        if (!series.calendar().isEmpty() && series.timeSources().isEmpty()) {
            out.add(where.problem("data.series.calendar", "calendar features are computed from the time: set data.series.timeColumn (or timeColumns)"));
        }
        if (data.window().recursive()) {
            out.add(where.problem("data.window.strategy", "covariates (futureColumns, staticColumns, calendar) are read by direct forecasters;"
                    + " a recursive forecaster feeds its forecasts back as its only input; use strategy: direct"));
        }
        boolean masks = data.missing().policy() == MissingPolicy.MASK && !data.missing().markers().isEmpty()
                || data.missing().columns().stream().anyMatch(m -> m.policy() == MissingPolicy.MASK);
        if (masks) {
            // a mask's indicator features follow every column's; covariates must stay the last features of a step
            out.add(where.problem("data.missing", "policy: mask is not supported beside covariates (futureColumns, staticColumns,"
                    + " calendar) yet; use forward-fill, linear or drop"));
        }
        if (data.window().length() != null || data.labels().windows() != null) {
            out.add(where.problem("data.series", "covariates (futureColumns, staticColumns, calendar) are inputs of forecasters, not of a"
                    + " series tagged per step"));
        }
    }

    private static void symbolInputRules(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        if (c.task().kind() != TaskKind.CLASSIFICATION) {
            out.add(where.problem("task.kind", "text models predict tokens or classes: set task.kind: classification"));
        }
        if (c.model().embeddingSize() == 0) {
            out.add(where.problem("model.embeddingSize", (c.data().format() == DataFormat.TEXT ? "text is" : "symbols are")
                    + " fed as token indices through an embedding layer; give its width, such as 32"));
        }
        if (c.data().normalizer() != NormalizerKind.NONE) {
            out.add(where.problem("data.normalizer", "token indices are not scaled; set data.normalizer: none"));
        }
    }

    static String metricsOf(TaskKind kind) {
        return String.join(", ", java.util.Arrays.stream(Metric.values()).filter(m -> m.appliesTo(kind)).map(YamlNames::of).toList());
    }

    /** data.path, or several files pooled for text classification (data.paths). */
    private static void textFiles(ExperimentConfig c, boolean checkFiles, ConfigLocations where, List<Problem> out) {
        DataConfig data = c.data();
        if (data.paths().isEmpty()) {
            requireExisting(data.path(), "data.path", false, checkFiles, where, out);
            return;
        }
        if (data.path() != null) {
            out.add(where.problem("data.paths", "names the files in place of data.path; give one of them"));
        }
        if (c.task().topology() != Topology.MANY_TO_ONE || c.task().kind() != TaskKind.CLASSIFICATION) {
            out.add(where.problem("data.paths", "pools files for text classification (task: many-to-one classification) only; give one file in data.path"));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < data.paths().size(); i++) {
            String raw = data.paths().get(i);
            requireExisting(raw, "data.paths[" + i + "]", false, checkFiles, where, out);
            if (!names.add(DataPaths.resolve(raw).getFileName().toString())) {
                out.add(where.problem("data.paths[" + i + "]", "another file is also named " + DataPaths.resolve(raw).getFileName()
                        + ": metrics.json scores each file under its name"));
            }
        }
    }

    private static void requireExisting(String raw, String path, boolean directory, boolean checkFiles, ConfigLocations where,
                                        List<Problem> out) {
        if (raw == null) {
            out.add(where.problem(path, "missing: this data format reads a " + (directory ? "folder" : "file")));
            return;
        }
        if (!checkFiles) {
            return;
        }
        Path resolved = DataPaths.resolve(raw);
        if (directory ? !Files.isDirectory(resolved) : !Files.isRegularFile(resolved)) {
            String what = Files.exists(resolved) ? (directory ? "is not a folder" : "is not a file") : "does not exist";
            out.add(where.problem(path, "data " + (directory ? "folder " : "file ") + resolved + " " + what + DataPaths.missingHint(raw)));
        }
    }
}
