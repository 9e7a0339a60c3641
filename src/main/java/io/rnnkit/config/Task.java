package io.rnnkit.config;

import java.util.List;

/**
 * What a run learns, as one type: derived once from a config ({@link #of}) and asked, everywhere else, for what
 * differs between tasks (docs/architecture.md, "The task type"): the width of the network's input, its output
 * head, whether answers are per sequence or per step, the contract's topology, kind and forecast strategy, and
 * how a saved model is used. A task added here is added in one place; the compiler finds every {@code instanceof}
 * chain that must learn it only where a task's behaviour is not one of these properties.
 */
public sealed interface Task permits Task.Classifier, Task.StepTagger, Task.Regressor, Task.DirectForecaster,
        Task.RecursiveForecaster, Task.StepRegressor, Task.TextGenerator, Task.VectorToSequence, Task.Translator, Task.AnomalyDetector {

    /** Many-to-one classification: one class per sequence; {@code readsText}: the input is a line of text, as token indices. */
    record Classifier(boolean readsText) implements Task {
    }

    /** Many-to-many classification: a class at every step. */
    record StepTagger() implements Task {
    }

    /** Many-to-one regression: values per sequence. */
    record Regressor() implements Task {
    }

    /**
     * Windows of a series, all {@code horizon} values from one network call; {@code reference}: what windows are
     * measured against; {@code head}: point values, or quantiles or a Gaussian per step ({@code model.head}).
     */
    record DirectForecaster(WindowReference reference, HeadConfig head) implements Task {
        public DirectForecaster(WindowReference reference) {
            this(reference, HeadConfig.POINT);
        }
    }

    /**
     * A series scanned for anomalous steps ({@code task.kind: anomaly}): a forecaster of the next value from windows
     * of {@code lookback} steps (horizon 1), trained without labels, whose error at each step is scored against its
     * errors on the training part and thresholded ({@code task.anomaly}). Its network is a direct forecaster's, so
     * the contract states a many-to-one regression with forecast windows; the calibration is its own bundle entry.
     */
    record AnomalyDetector(WindowReference reference) implements Task {
    }

    /** Windows of a series forecast by a next-step model whose forecasts are fed back ({@code data.window.strategy: recursive}). */
    record RecursiveForecaster() implements Task {
    }

    /** Many-to-many regression: values at every step. */
    record StepRegressor() implements Task {
    }

    /** One-to-many over text: next-token classification at every step, sampled one token at a time. */
    record TextGenerator() implements Task {
    }

    /** One-to-many regression: one vector, repeated over the steps, in; a sequence of values out. */
    record VectorToSequence() implements Task {
    }

    /** Sequence to sequence in delayed form: the source, a separator, then the target symbol by symbol. */
    record Translator() implements Task {
    }

    /**
     * The task of a config that passed {@link ConfigRules} (or of a saved one, which passed them when it was
     * trained): the cross-field rules guarantee that the fields read here agree, so no combination is refused here.
     */
    static Task of(ExperimentConfig config) {
        Topology topology = config.task().topology();
        boolean classification = config.task().kind() == TaskKind.CLASSIFICATION;
        DataConfig data = config.data();
        if (topology == Topology.SEQUENCE_TO_SEQUENCE) {
            return new Translator();
        }
        if (config.task().kind() == TaskKind.ANOMALY) {
            return new AnomalyDetector(data.window().reference());
        }
        if (data.format() == DataFormat.SERIES && data.labels().windows() == null) {
            return data.window().recursive() ? new RecursiveForecaster() : new DirectForecaster(data.window().reference(), config.model().head());
        }
        return switch (topology) {
            case MANY_TO_ONE -> classification ? new Classifier(data.format() == DataFormat.TEXT) : new Regressor();
            case MANY_TO_MANY -> classification ? new StepTagger() : new StepRegressor();
            case ONE_TO_MANY -> data.format() == DataFormat.TEXT ? new TextGenerator() : new VectorToSequence();
            case SEQUENCE_TO_SEQUENCE -> new Translator();
        };
    }

    /**
     * Why an ensemble of this task's networks ({@code training.ensemble}) is refused, or null when their outputs combine
     * (the combining itself is {@code io.rnnkit.bundle.Ensemble}'s): a generator samples and a translator searches token by
     * token through one network's recurrent state, and a detector's threshold and its semi-supervised twin are one
     * network's.
     */
    default String ensembleBlocker() {
        if (this instanceof TextGenerator) {
            return "a text generator samples token by token from one network's state; ensembles combine classifiers, regressors"
                    + " and forecasters";
        }
        if (this instanceof Translator) {
            return "a translator's greedy and beam search decode through one network's state; ensembles combine classifiers,"
                    + " regressors and forecasters";
        }
        if (this instanceof AnomalyDetector) {
            return "an anomaly detector's threshold is calibrated on one network's errors and its semi-supervised twin is one"
                    + " network; ensembles combine classifiers, regressors and forecasters";
        }
        return null;
    }

    /** The topology the contract states: a forecaster's windows are many-to-one whatever network answers them. */
    default Topology topology() {
        if (this instanceof StepTagger || this instanceof StepRegressor) {
            return Topology.MANY_TO_MANY;
        }
        if (this instanceof TextGenerator || this instanceof VectorToSequence) {
            return Topology.ONE_TO_MANY;
        }
        return this instanceof Translator ? Topology.SEQUENCE_TO_SEQUENCE : Topology.MANY_TO_ONE;
    }

    default TaskKind kind() {
        return this instanceof Classifier || this instanceof StepTagger || this instanceof TextGenerator || this instanceof Translator
                ? TaskKind.CLASSIFICATION : TaskKind.REGRESSION;
    }

    default boolean isClassification() {
        return kind() == TaskKind.CLASSIFICATION;
    }

    /**
     * Whether the network answers at every step (an {@code RnnOutputLayer}) rather than once per sequence (the last
     * recurrent layer wrapped in {@code LastTimeStep}, then a dense layer). A recursive forecaster is a next-step
     * model, so it answers at every step though its task is a forecast per window.
     */
    default boolean networkAnswersEveryStep() {
        return !(this instanceof Classifier || this instanceof Regressor || this instanceof DirectForecaster || this instanceof AnomalyDetector);
    }

    /**
     * Whether a caller's answer for one input sequence is one answer per step of it (a tagger, a per-step
     * regressor): {@code classifySteps}/{@code predictSteps}, one CSV row per step.
     */
    default boolean answersPerStep() {
        return this instanceof StepTagger || this instanceof StepRegressor;
    }

    /** Whether each step is a symbol's index, fed through an embedding layer (text, and the symbols of a translator). */
    default boolean readsSymbols() {
        return this instanceof Classifier c && c.readsText() || this instanceof TextGenerator || this instanceof Translator;
    }

    /**
     * Width of the network's input: the vocabulary size for symbol input (the embedding layer's {@code nIn}, though
     * each step holds one value, an index), else the values per step.
     */
    default int inputWidth(int features, List<String> vocabulary) {
        return readsSymbols() ? vocabulary.size() : features;
    }

    /** Per-step classes over a vocabulary are trained as indices with a sparse cross-entropy rather than one-hot. */
    default boolean sparseTargets() {
        return readsSymbols() && networkAnswersEveryStep();
    }

    /** A forecaster's strategy, null for other tasks; an anomaly detector forecasts directly, one step ahead. */
    default ForecastStrategy forecastStrategy() {
        return this instanceof RecursiveForecaster ? ForecastStrategy.RECURSIVE
                : this instanceof DirectForecaster || this instanceof AnomalyDetector ? ForecastStrategy.DIRECT : null;
    }

    /** What the network's windows are measured against ({@link WindowReference}): none but for direct forecasters and detectors. */
    default WindowReference windowReference() {
        return this instanceof DirectForecaster d ? d.reference() : this instanceof AnomalyDetector a ? a.reference() : WindowReference.NONE;
    }

    /** The output head: a direct forecaster's own ({@code model.head}); one value per output for every other task. */
    default HeadConfig head() {
        return this instanceof DirectForecaster d ? d.head() : HeadConfig.POINT;
    }

    /** Whether the model scores the steps of a series for anomalies (its bundle holds the calibration). */
    default boolean detectsAnomalies() {
        return this instanceof AnomalyDetector;
    }

    /**
     * Whether every input of a saved model has its training length: a layout of one length (rows, series windows,
     * generated data, and any layout read as {@code data.segments}), except a translator's sources, which vary up to
     * {@code task.translation.maxSourceLength}, and the chunks of a series tagged per step.
     */
    default boolean fixedLength(DataConfig data) {
        return fixedLength(data.format()) || data.segments() > 0 && !(this instanceof Translator);
    }

    /** {@link #fixedLength(DataConfig)} of a layout read whole. */
    default boolean fixedLength(DataFormat format) {
        // a series tagged per step ends each part with a shorter chunk
        return format.fixedLength() && !(this instanceof Translator) && !(this instanceof StepTagger && format == DataFormat.SERIES);
    }

    /** "many-to-many classification model (per-step tagger)", for messages. */
    default String describe() {
        return YamlNames.of(topology()) + " " + YamlNames.of(kind()) + " model (" + role() + ")";
    }

    /** What the model is, in a word or two: "per-step tagger". */
    default String role() {
        if (this instanceof Classifier) {
            return "classifier";
        }
        if (this instanceof StepTagger) {
            return "per-step tagger";
        }
        if (this instanceof Regressor) {
            return "regressor";
        }
        if (this instanceof DirectForecaster) {
            return "direct forecaster";
        }
        if (this instanceof RecursiveForecaster) {
            return "recursive forecaster";
        }
        if (this instanceof AnomalyDetector) {
            return "anomaly detector";
        }
        if (this instanceof StepRegressor) {
            return "per-step regressor";
        }
        if (this instanceof TextGenerator) {
            return "text generator";
        }
        return this instanceof VectorToSequence ? "vector-to-sequence model" : "translator";
    }
}
