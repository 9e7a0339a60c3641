package io.rnnkit.bundle;

import io.rnnkit.config.DataFormat;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.TranslationConfig;
import io.rnnkit.config.UnknownSymbols;
import io.rnnkit.data.Categories;
import io.rnnkit.data.Covariates;
import io.rnnkit.data.DelayedPairs;
import io.rnnkit.data.PanelSeries;
import io.rnnkit.data.PredictionInput;
import io.rnnkit.nn.SequenceDecoder;
import io.rnnkit.config.TextConfig;
import io.rnnkit.config.TextMode;
import io.rnnkit.config.TextUnit;
import io.rnnkit.data.TextLayout;
import io.rnnkit.nn.TokenSampler;
import io.rnnkit.data.Scaler;
import io.rnnkit.config.Task;
import io.rnnkit.nn.FusedInference;
import io.rnnkit.nn.StepNetworks;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A trained rnnkit model, loaded from its bundle, for applications that use models rather than train them.
 *
 * <pre>{@code
 * RnnModel model = RnnModel.load(Path.of("runs/x/model.zip"));
 * Classification c = model.classify(sequence);        // sequence[time][feature], in the units of your data
 * double[] next = model.forecast(history, 24);         // a forecaster: the next 24 values of its target column
 * Classification s = model.classify("Great food!");    // a text classifier reads raw text
 * double[][] chart = model.generate(vector);           // a vector-to-sequence model: a whole sequence from one vector
 * }</pre>
 *
 * <p>Callers pass and receive the units of their data: inputs are scaled inside with the normalizer fitted
 * in training, and a regression model's outputs are scaled back. Nothing about shapes is to be guessed:
 * {@link #contract()} says how many values a step has and what they are called, which lengths the model takes,
 * and what it returns; {@link #provenance()} says how it was made. Input the model cannot take is refused
 * before anything runs, with a {@link ModelInputException} saying which sequence, step and feature is wrong.
 *
 * <p>Every method may be called from many threads at once on one loaded model. One-shot calls run on
 * replicas of the network that share its parameters ({@link NetworkReplicas}); each {@linkplain #openStream
 * stream} keeps its own recurrent state and lends it to a replica of the step network for one step at a time,
 * so streams never see each other's state.
 */
public final class RnnModel {
    private final Bundle bundle;
    private final int formatVersion;
    private final InputContract contract;
    private final Scaler scaler;
    /** What the model is, from its saved config; it decides which calls the model answers and how. */
    private final Task task;
    /** The inference path the run's metrics were computed on, here on replicas of the saved network. */
    private final Predictor predictor;
    /** Generation and translation take turns on one copy of the network each (they drive its recurrent state). */
    private final Object generationLock = new Object();
    private TokenSampler generator;
    private SequenceDecoder translator;
    /** Replicas of each network the model answers with: its own, then an ensemble's other members. */
    private final List<NetworkReplicas<FusedInference>> sequenceNetworks;
    private final String streamBlocker;
    private final NetworkReplicas<StepReplica> stepNetworks;
    private final int[] recurrentLayers;
    /** A text model's token → index map, built from the vocabulary its contract carries; null otherwise. */
    private final Map<String, Integer> vocabularyIndex;
    /** A forecaster's covariates (known-future, static, calendar features), or null without any. */
    private final Covariates covariates;

    private RnnModel(Bundle.Loaded loaded) {
        this.bundle = loaded.bundle();
        this.formatVersion = loaded.manifest().formatVersion();
        this.contract = bundle.contract();
        this.scaler = Scaler.of(bundle.normalizer());
        MultiLayerNetwork network = bundle.network();
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<NetworkReplicas<FusedInference>> members = new ArrayList<>();
        for (MultiLayerNetwork member : bundle.networks()) {
            // each replica keeps its own inference arrays, as it keeps its own layers
            members.add(new NetworkReplicas<>(() -> FusedInference.of(StepNetworks.sharing(conf, member.params())),
                    FusedInference.of(member)));
        }
        this.sequenceNetworks = members;
        this.streamBlocker = bundle.streamBlocker();
        if (streamBlocker == null) {
            MultiLayerConfiguration twin = StepNetworks.twin(conf);
            this.stepNetworks = new NetworkReplicas<>(() -> new StepReplica(StepNetworks.sharing(twin, network.params()),
                    Nd4j.create(DataType.FLOAT, 1, contract.features())), null);
        } else {
            this.stepNetworks = null;
        }
        this.recurrentLayers = IntStream.range(0, network.getnLayers())
                .filter(i -> network.getLayer(i) instanceof RecurrentLayer
                        || network.getLayer(i) instanceof BaseWrapperLayer wrapper
                        && wrapper.getUnderlying() instanceof RecurrentLayer)
                .toArray();
        this.vocabularyIndex = contract.vocabulary() == null ? null : TextLayout.index(contract.vocabulary());
        this.task = Task.of(bundle.config());
        if (task.topology() != contract.topology() || task.kind() != contract.kind()) {
            throw new BundleException("the bundle's contract says " + contract.topology().yamlName() + " " + contract.kind().yamlName()
                    + ", but its config makes a " + task.describe() + ": a modified or damaged bundle");
        }
        this.covariates = contract.forecast() == null || !bundle.config().data().series().covariates() ? null
                : Covariates.of(bundle.config().data().series(), contract.featureNames(),
                        bundle.categories() == null ? new Categories(Map.of()) : bundle.categories(), contract.forecast().horizon());
        this.predictor = new Predictor(task, scaler, contract.features(),
                contract.forecast() == null ? 0 : contract.forecast().targetFeature(),
                sequenceNetworks.stream().map(r -> (Predictor.Networks) r::use).toList(), bundle.series(),
                covariates == null ? contract.features() : covariates.past());
    }

    /** Loads and verifies a bundle (checksums, format version); faults are {@link BundleException}s naming the file. */
    public static RnnModel load(Path bundle) {
        return new RnnModel(Bundle.load(bundle));
    }

    /** Loads a bundle from a stream, such as a class-path resource; the stream is read to its end, not closed. */
    public static RnnModel load(InputStream bundle) {
        return new RnnModel(Bundle.load(bundle, "bundle stream"));
    }

    /**
     * Loads a bundle only if it is signed by one of {@code trustedKeys} (Ed25519 public keys, such as
     * {@link BundleSignature#readPublicKey}); an unsigned bundle, or one signed by another key, is refused with a
     * {@link BundleIntegrityException} before anything in it is restored.
     */
    public static RnnModel load(Path bundle, Collection<PublicKey> trustedKeys) {
        return trusted(SavedFile.read(bundle, BundleFormat.Kind.BUNDLE), trustedKeys);
    }

    /** {@link #load(Path, Collection)} from a stream, read to its end, not closed. */
    public static RnnModel load(InputStream bundle, Collection<PublicKey> trustedKeys) {
        return trusted(SavedFile.read(bundle, "bundle stream", BundleFormat.Kind.BUNDLE), trustedKeys);
    }

    private static RnnModel trusted(SavedFile file, Collection<PublicKey> trustedKeys) {
        BundleSignature.requireTrusted(file, trustedKeys);
        return new RnnModel(Bundle.load(file));
    }

    /** What the model reads and returns. */
    public InputContract contract() {
        return contract;
    }

    /** How the model was made: versions, seed, data fingerprint, metrics, training time, config commit. */
    public Provenance provenance() {
        return bundle.provenance();
    }

    /** What the model is (a classifier, a per-step tagger, a forecaster …), which says which calls it answers. */
    public Task task() {
        return task;
    }

    /** An ensemble's members (seed, best epoch, own test figures), in order; empty for a model of one network. */
    public List<Ensemble.Member> members() {
        return bundle.ensemble() == null ? List.of() : bundle.ensemble().members();
    }

    /** The resolved config it was trained with. */
    public ExperimentConfig config() {
        return bundle.config();
    }

    /**
     * The categories of a series model's categorical columns, in feature order ({@code column=category} features of
     * the contract); empty for a model without any.
     */
    public Categories categories() {
        return bundle.categories();
    }

    /** What a series model's missing-value policies learnt in training (fill values per numeric column), or null without markers. */
    public io.rnnkit.data.MissingFills fills() {
        return bundle.fills();
    }

    /**
     * A file in the model's training layout read as the model's inputs, as {@code rnnkit predict} reads it: a series
     * file's categorical columns as their raw text, one-hot over the categories the model was trained with (a category
     * it never saw reads as the column's {@code <other>} feature, counted in the input's notes), its time checked and
     * its gaps handled as in training, its missing-value markers filled by the config's policies with the values learnt
     * in training ({@link #fills()}); a window training would have left out (a drop column's marker, an interpolation
     * from past its end) is left out and counted in the notes.
     */
    public PredictionInput read(Path file) {
        return PredictionInput.read(config().data(), file, contract.features(), contract.fixedLength() ? contract.maxLength() : 0,
                bundle.categories(), bundle.fills());
    }

    /** The bundle format version the model was read from ({@link Bundle#FORMAT_VERSION} for bundles of this rnnkit). */
    public int formatVersion() {
        return formatVersion;
    }

    /** Whether {@link #openStream()} works: false when a layer needs the whole sequence (a bidirectional one). */
    public boolean canStream() {
        return streamBlocker == null;
    }

    /** The class of one sequence ({@code [time][feature]}, raw values) and the probability of every class. */
    public Classification classify(double[][] sequence) {
        return classify(List.<double[][]>of(sequenceOrEmpty(sequence)), true).get(0);
    }

    /**
     * The class of one line of text, for a text classifier ({@code data.format: text}, many-to-one): the text is
     * read as the training lines were, with the vocabulary saved in the bundle (lower-cased when the config says
     * so, tokenized, cut to {@code data.text.sequenceLength} tokens); words the vocabulary does not hold are read
     * as its unknown token {@code <unk>}, as rare words were in training, so no text is refused for its words.
     *
     * @throws UnsupportedByModelException for a model that does not read text, or a text classifier saved before
     *                                     bundle format 3 (which kept no vocabulary)
     */
    public Classification classify(String text) {
        return classifyTexts(java.util.Collections.singletonList(text), true).get(0);
    }

    /** {@link #classify(String)} for many lines at once, in order. */
    public List<Classification> classifyTexts(List<String> texts) {
        return classifyTexts(texts, false);
    }

    private List<Classification> classifyTexts(List<String> texts, boolean single) {
        requireKind(true, "classify(String)", "predict()");
        TextConfig text = bundle.config().data().text();
        if (!(task instanceof Task.Classifier classifier && classifier.readsText())) {
            throw new UnsupportedByModelException("classify(String) needs a text classifier (data.format: text, task.topology: many-to-one);"
                    + " this is a " + describe() + " of " + io.rnnkit.config.YamlNames.of(bundle.config().data().format())
                    + " data: use classify(double[][])");
        }
        if (vocabularyIndex == null) {
            throw new UnsupportedByModelException("classify(String) needs the vocabulary the classifier was trained with, which bundles"
                    + " keep from format 3 on; this bundle is format " + formatVersion + ": retrain it with this rnnkit");
        }
        List<double[][]> sequences = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new ModelInputException(single ? -1 : i, "the text is null");
            }
            sequences.add(TextLayout.encodeLine(texts.get(i), text, vocabularyIndex));
        }
        return classify(sequences, single);
    }

    /** {@link #classify(double[][])} for many sequences at once, in order; batched, so faster than one by one. */
    public List<Classification> classify(List<double[][]> sequences) {
        return classify(sequences, false);
    }

    private List<Classification> classify(List<double[][]> sequences, boolean single) {
        requireKind(true, "classify()", "predict()");
        requirePerSequence("classify()", "classifySteps()");
        return answers(sequences, single).stream().map(a -> new Classification(contract.classes(), a.valuesAt(0))).toList();
    }

    /**
     * The class at every step of one sequence, for a per-step classifier ({@code task.topology: many-to-many}):
     * one {@link Classification} per step of {@code sequence}, in order. A bidirectional model reads the whole
     * sequence first, so each step's class may depend on later steps too (it cannot be {@linkplain #openStream streamed}).
     *
     * @throws UnsupportedByModelException for a model that answers once per sequence ({@link #classify(double[][])})
     */
    public List<Classification> classifySteps(double[][] sequence) {
        return classifySteps(List.<double[][]>of(sequenceOrEmpty(sequence)), true).get(0);
    }

    /** {@link #classifySteps(double[][])} for many sequences at once, in order. */
    public List<List<Classification>> classifySteps(List<double[][]> sequences) {
        return classifySteps(sequences, false);
    }

    private List<List<Classification>> classifySteps(List<double[][]> sequences, boolean single) {
        requireKind(true, "classifySteps()", "predictSteps()");
        requirePerStep("classifySteps()", "classify()");
        List<List<Classification>> out = new ArrayList<>(sequences.size());
        for (Predictor.Answer answer : answers(sequences, single)) {
            List<Classification> steps = new ArrayList<>(answer.steps());
            for (int t = 0; t < answer.steps(); t++) {
                steps.add(new Classification(contract.classes(), answer.valuesAt(t)));
            }
            out.add(steps);
        }
        return out;
    }

    /**
     * A per-step regression model's values at every step of one sequence ({@code task.topology: many-to-many}),
     * {@code [step][value]} in the units of the data; whole sequences, so a bidirectional model answers too.
     *
     * @throws UnsupportedByModelException for a model that answers once per sequence ({@link #predict(double[][])})
     */
    public double[][] predictSteps(double[][] sequence) {
        return predictSteps(List.<double[][]>of(sequenceOrEmpty(sequence)), true).get(0);
    }

    /**
     * The prediction intervals of a forecaster with a probabilistic head ({@code model.head}) for one window of its
     * lookback: per step of its trained horizon, the quantile at each of the head's levels, in the data's units (the
     * point forecast, {@link #predict}, is the median or the mean).
     *
     * @throws UnsupportedByModelException for a model whose head gives point values only
     */
    public Predictor.Intervals forecastIntervals(double[][] window) {
        return forecastIntervals(List.<double[][]>of(sequenceOrEmpty(window)), true, null).get(0);
    }

    /** {@link #forecastIntervals(double[][])} for many windows at once, in order. */
    public List<Predictor.Intervals> forecastIntervals(List<double[][]> windows) {
        return forecastIntervals(windows, false, null);
    }

    /** {@link #forecastIntervals(double[][])} of every window of a file read by {@link #read(Path)}, as {@link #predict(PredictionInput)}. */
    public List<Predictor.Intervals> forecastIntervals(PredictionInput input) {
        return forecastIntervals(input.sequences(), false, input.seriesIds().isEmpty() ? null : input.seriesIds());
    }

    private List<Predictor.Intervals> forecastIntervals(List<double[][]> windows, boolean single, List<List<String>> ids) {
        if (!task().head().probabilistic()) {
            throw new UnsupportedByModelException("forecastIntervals() needs a forecaster trained with a quantile or gaussian head"
                    + " (model.head.type); this " + describe() + " gives point values: use predict() or forecast()");
        }
        return answers(windows, single, 0, ids).stream().map(Predictor.Answer::intervals).toList();
    }

    /** {@link #predictSteps(double[][])} for many sequences at once, in order. */
    public List<double[][]> predictSteps(List<double[][]> sequences) {
        return predictSteps(sequences, false);
    }

    private List<double[][]> predictSteps(List<double[][]> sequences, boolean single) {
        requireKind(false, "predictSteps()", "classifySteps()");
        requirePerStep("predictSteps()", "predict()");
        return answers(sequences, single).stream().map(Predictor.Answer::values).toList();
    }

    /** Whether the model answers at every step of a sequence ({@link #classifySteps}, {@link #predictSteps}) rather than once. */
    public boolean answersPerStep() {
        return task.answersPerStep();
    }

    /** A regression model's values for one sequence, in the units of the data ({@link InputContract#classes()} names them). */
    public double[] predict(double[][] sequence) {
        return predict(List.<double[][]>of(sequenceOrEmpty(sequence)), true, null).get(0);
    }

    /** {@link #predict(double[][])} for many sequences at once, in order. */
    public List<double[]> predict(List<double[][]> sequences) {
        return predict(sequences, false, null);
    }

    /**
     * A model of many series ({@code data.series.idColumns}): the forecasts of windows of named series, in order; with a
     * per-series normalizer ({@code normalizerScope: per-series}) each window is scaled by its series' statistics and its
     * forecast scaled back by them, so the series must be one the model was trained on ({@link #series()}).
     *
     * @param seriesIds per window, its series' values of the id columns ({@link PanelSeries#idColumns()})
     */
    public List<double[]> predict(List<double[][]> sequences, List<List<String>> seriesIds) {
        if (seriesIds == null || seriesIds.size() != sequences.size()) {
            throw new ModelInputException(-1, sequences.size() + " sequences but " + (seriesIds == null ? "no" : seriesIds.size())
                    + " series ids");
        }
        return predict(sequences, false, seriesIds);
    }

    /**
     * The forecasts of a file read by {@link #read(Path)}, in order: of a file of many series, each window by its own
     * series (see {@link #predict(List, List)}).
     */
    public List<double[]> predict(PredictionInput input) {
        return predict(input.sequences(), false, input.seriesIds().isEmpty() ? null : input.seriesIds());
    }

    /** A model of many series: the series it was trained on and the columns that name them; null for any other model. */
    public PanelSeries series() {
        return bundle.series();
    }

    private List<double[]> predict(List<double[][]> sequences, boolean single, List<List<String>> ids) {
        requireKind(false, "predict()", "classify()");
        requirePerSequence("predict()", "predictSteps()");
        if (task instanceof Task.VectorToSequence) {
            throw new UnsupportedByModelException("predict() reads sequences, but this " + describe() + " makes a sequence from one vector"
                    + " of " + contract.features() + " values " + contract.featureNames() + ": use generate(double[])");
        }
        return regress(sequences, single, contract.forecast() == null ? 0 : contract.forecast().horizon(), ids);
    }

    /**
     * Values for many sequences in the data's units, one row each. A forecaster trained on relative windows
     * ({@code data.window.reference}) is fed each window measured against its last observation, and its
     * forecasts are turned back into levels from that observation of the target column; a recursive forecaster
     * forecasts {@code horizon} steps.
     */
    private List<double[]> regress(List<double[][]> sequences, boolean single, int horizon, List<List<String>> ids) {
        return answers(sequences, single, horizon, ids).stream().map(a -> a.valuesAt(0)).toList();
    }

    /**
     * The next {@code horizon} values of a forecaster's target column after {@code history} (the series so
     * far, {@code [time][feature]}, oldest first; only its last {@code lookback} steps are read). Up to the
     * trained horizon the forecast is direct (one network call, as trained); beyond it, recursive: the forecast
     * values are appended to the history as if observed and the model forecasts again from the new last
     * window. Recursion needs every input column forecast, so it works for models that read the target
     * column alone; errors compound with each round. A recursive forecaster ({@code data.window.strategy:
     * recursive}) forecasts any horizon one step at a time, feeding each forecast back with {@code rnnTimeStep}
     * ({@link io.rnnkit.nn.RecursiveForecaster}), as it was evaluated; beyond its trained horizon it runs longer than any
     * sequence it was trained on.
     */
    public double[] forecast(double[][] history, int horizon) {
        return forecast(List.<double[][]>of(sequenceOrEmpty(history)), horizon, true, null).get(0);
    }

    /** {@link #forecast(double[][], int)} for many histories at once, in order. */
    public List<double[]> forecast(List<double[][]> histories, int horizon) {
        return forecast(histories, horizon, false, null);
    }

    /**
     * {@link #forecast(double[][], int)} of one series of a model of many series ({@link #predict(List, List)}): its
     * values of the id columns, such as {@code List.of("Adelaide", "South Australia", "Business")}.
     */
    public double[] forecast(List<String> seriesId, double[][] history, int horizon) {
        return forecast(List.<double[][]>of(sequenceOrEmpty(history)), horizon, true, List.of(seriesId)).get(0);
    }

    /**
     * The next {@code horizon} values (the trained horizon) of a forecaster that reads covariates known in the future
     * ({@code data.series.futureColumns} or {@code calendar}): {@code history} holds the series so far,
     * {@code [time][feature]} with every feature of {@link InputContract#featureNames()} at its own time (only its last
     * {@code lookback} steps are read); {@code future} holds, for each of the {@code horizon} forecast steps, its
     * known-future and calendar features in the contract's order ({@link #futureFeatureNames()}).
     *
     * @throws MissingCovariatesException when {@code future} is null, has another number of steps than the horizon, or a
     *                                    step of another width or with a value that is not finite
     */
    public double[] forecast(double[][] history, double[][] future) {
        return forecast(null, history, future);
    }

    /** {@link #forecast(double[][], double[][])} of one series of a model of many series, named by its values of the id columns. */
    public double[] forecast(List<String> seriesId, double[][] history, double[][] future) {
        InputContract.Forecasting windows = forecasting();
        if (covariates == null || !covariates.readsFuture()) {
            throw new UnsupportedByModelException("this " + describe() + " reads no known-future covariates: use forecast(history, horizon)");
        }
        List<String> names = futureFeatureNames();
        if (future == null || future.length != windows.horizon()) {
            throw new MissingCovariatesException("the model reads the known-future features " + names + " of each of its " + windows.horizon()
                    + " forecast steps, but " + (future == null ? "none were given" : future.length + " step(s) were given"));
        }
        int steps = history == null ? 0 : history.length;
        if (steps < windows.lookback()) {
            throw new SequenceLengthException(-1, "the history has " + steps + " steps, but the model forecasts from the last "
                    + windows.lookback() + " (data.window.lookback)");
        }
        double[][] rows = new double[windows.lookback() + windows.horizon()][];
        for (int t = 0; t < windows.lookback(); t++) {
            checkStep(history[steps - windows.lookback() + t], -1, t);
            rows[t] = history[steps - windows.lookback() + t];
        }
        for (int h = 0; h < future.length; h++) {
            if (future[h] == null || future[h].length != names.size() || !Arrays.stream(future[h]).allMatch(Double::isFinite)) {
                throw new MissingCovariatesException("forecast step " + (h + 1) + " needs " + names.size() + " finite value(s) " + names
                        + ", got " + (future[h] == null ? "none" : Arrays.toString(future[h])));
            }
            double[] row = new double[contract.features()];
            int k = 0;
            for (int f = 0; f < row.length; f++) {
                row[f] = covariates.led(f) ? future[h][k++] : Double.NaN;
            }
            rows[windows.lookback() + h] = row;
        }
        double[][] window = covariates.window(rows, 0, windows.lookback());
        return predict(List.<double[][]>of(window), true, seriesId == null ? null : List.of(seriesId)).get(0);
    }

    /**
     * The features a forecaster with known-future covariates reads for each forecast step ({@link #forecast(double[][], double[][])}):
     * its known-future columns' features, then its calendar's ({@code day-of-year.sin}, {@code day-of-year.cos}); empty for others.
     */
    public List<String> futureFeatureNames() {
        if (covariates == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int f = covariates.past(); f < contract.features(); f++) {
            if (covariates.led(f)) {
                names.add(contract.featureNames().get(f));
            }
        }
        return names;
    }

    private InputContract.Forecasting forecasting() {
        InputContract.Forecasting windows = contract.forecast();
        if (windows == null) {
            throw new UnsupportedByModelException("forecast() needs a model trained on windows of a series (data.format: series); this is a "
                    + describe() + (contract.isClassification() ? ": use classify()" : ": use predict()"));
        }
        return windows;
    }

    private List<double[]> forecast(List<double[][]> histories, int horizon, boolean single, List<List<String>> ids) {
        InputContract.Forecasting windows = forecasting();
        if (covariates != null && covariates.readsFuture()) {
            throw new MissingCovariatesException("the model reads the known-future features " + futureFeatureNames() + " of the "
                    + windows.horizon() + " forecast steps: use forecast(history, future) (or predict(read(file)) with them in the file)");
        }
        if (horizon < 1) {
            throw new ModelInputException(-1, "the horizon must be at least 1 step, got " + horizon);
        }
        if (horizon > windows.horizon() && contract.features() > 1 && !(task instanceof Task.RecursiveForecaster)) {
            throw new UnsupportedByModelException("a forecast of " + horizon + " steps goes beyond the trained horizon of "
                    + windows.horizon() + " and would have to feed forecasts back as input, but this model reads "
                    + contract.features() + " columns " + contract.featureNames() + " and forecasts only '" + windows.target()
                    + "'; ask for at most " + windows.horizon() + " steps");
        }
        int lookback = windows.lookback();
        List<double[][]> current = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) {
            double[][] history = histories.get(i);
            int steps = history == null ? 0 : history.length;
            if (steps < lookback) {
                throw new SequenceLengthException(single ? -1 : i, "the history has " + steps + " steps, but the model forecasts from the last "
                        + lookback + " (data.window.lookback)");
            }
            current.add(Arrays.copyOfRange(history, steps - lookback, steps));
        }
        if (task instanceof Task.RecursiveForecaster) {
            return regress(current, single, horizon, ids);
        }
        List<double[]> out = new ArrayList<>(histories.size());
        for (int i = 0; i < histories.size(); i++) {
            out.add(new double[horizon]);
        }
        for (int done = 0; done < horizon; ) {
            List<double[]> rows = regress(current, single, windows.horizon(), ids);
            int take = Math.min(windows.horizon(), horizon - done);
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, out.get(i), done, take);
            }
            done += take;
            if (done < horizon) {
                for (int i = 0; i < current.size(); i++) {
                    current.set(i, shifted(current.get(i), out.get(i), done - take, take));
                }
            }
        }
        return out;
    }

    /**
     * An anomaly detector's reading of a series ({@code task.kind: anomaly}): {@code series[time][feature]} in the
     * data's units, oldest first. Each step from the {@code lookback}-th on is forecast from the steps before it, and
     * its error scored, flagged and grouped into events with the calibration saved in the bundle
     * ({@link #anomalyCalibration()}), as the run's metrics were; the first {@code lookback} steps have no score (NaN).
     */
    public AnomalyDetection detect(double[][] series) {
        int lookback = requireDetector("detect()");
        double[][] checked = sequenceOrEmpty(series);
        if (checked.length <= lookback) {
            throw new SequenceLengthException(-1, "the series has " + checked.length + " steps, but the detector scores each step after the first "
                    + lookback + " (data.window.lookback)");
        }
        for (int t = 0; t < checked.length; t++) {
            checkStep(checked[t], -1, t);
        }
        return predictor.detect(checked, lookback, bundle.anomaly());
    }

    /** An anomaly detector's threshold and score normalization, fitted on its training part; null for other models. */
    public AnomalyCalibration anomalyCalibration() {
        return bundle.anomaly();
    }

    /** The detector's lookback, after refusing {@code method} on a model that detects no anomalies. */
    private int requireDetector(String method) {
        if (!task.detectsAnomalies()) {
            throw new UnsupportedByModelException(method + " needs an anomaly detector (task.kind: anomaly); this is a " + describe());
        }
        return contract.forecast().lookback();
    }

    /** A stream's forecast of the next step's target after {@code window} (its last {@code lookback} steps), as the batch path makes it. */
    double forecastAfter(double[][] window) {
        return predictor.predict(List.<double[][]>of(window), 1).get(0).values()[0][0];
    }

    /** The detector's lookback for a stream, refusing other models. */
    int streamLookback() {
        return requireDetector("ModelStream.observe()");
    }

    /** Checks one streamed step's values (count, finite) before it changes the stream. */
    void checkStreamed(double[] values, int step) {
        checkStep(values, -1, step);
    }

    /**
     * The sequence a vector-to-sequence model makes from one vector ({@code task.topology: one-to-many}, kind
     * regression, such as {@code generator: chart-synthesis}): {@code [time][output]}, {@link InputContract#maxLength}
     * steps of {@link InputContract#outputs} values each, in the data's units. The vector has
     * {@link InputContract#features} values, named by {@link InputContract#featureNames}, in the data's units; it
     * is repeated at every step, as in training.
     */
    public double[][] generate(double[] vector) {
        return generate(java.util.Collections.singletonList(vector), true).get(0);
    }

    /** {@link #generate(double[])} for many vectors at once, in order. */
    public List<double[][]> generate(List<double[]> vectors) {
        return generate(vectors, false);
    }

    private List<double[][]> generate(List<double[]> vectors, boolean single) {
        if (!(task instanceof Task.VectorToSequence)) {
            throw new UnsupportedByModelException("generate(double[]) needs a vector-to-sequence model (task.topology: one-to-many,"
                    + " kind: regression); this is a " + describe()
                    + (task instanceof Task.TextGenerator ? ": use generate(String, ...)" : ""));
        }
        List<double[][]> sequences = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            double[] vector = vectors.get(i);
            checkValues(vector, single ? -1 : i, "the vector");
            double[][] repeated = new double[contract.maxLength()][];
            Arrays.fill(repeated, vector);
            sequences.add(repeated);
        }
        return predictor.predict(sequences, 0).stream().map(Predictor.Answer::values).toList();
    }

    /** The window moved on by {@code count} steps whose only value is the forecast {@code values[from …]}. */
    private static double[][] shifted(double[][] window, double[] values, int from, int count) {
        double[][] next = new double[window.length][];
        System.arraycopy(window, count, next, 0, window.length - count);
        for (int k = 0; k < count; k++) {
            next[window.length - count + k] = new double[]{values[from + k]};
        }
        return next;
    }

    /**
     * Text from a generation model ({@code task.topology: one-to-many}): at most {@code length} tokens sampled
     * one step at a time after {@code seed}, at the given temperature (below 1 more conservative, above 1 more
     * varied), among the {@code topK} likeliest tokens (0: all), from a sampling RNG seeded with {@code rngSeed}
     * (the same seed gives the same text). A model trained on lines starts at a line start and stops at a line
     * end. Every token of the seed must be in the vocabulary ({@link UnknownSymbolException} otherwise); any
     * other topology throws an {@link UnsupportedByModelException}. Thread-safe: calls take turns on one copy
     * of the network kept for generation.
     */
    public String generate(String seed, int length, double temperature, int topK, long rngSeed) {
        if (!(task instanceof Task.TextGenerator)) {
            throw new UnsupportedByModelException("generate(String, ...) needs a text-generation model; this is a " + describe()
                    + ", which " + (task instanceof Task.VectorToSequence ? "makes a sequence from a vector: use generate(double[])"
                    : contract.isClassification() ? "classifies sequences: use classify()" : "predicts values: use predict()"));
        }
        TextConfig text = bundle.config().data().text();
        List<String> vocabulary = contract.classes();
        Map<String, Integer> index = TextLayout.index(vocabulary);
        List<String> start = new ArrayList<>();
        if (text.mode() == TextMode.LINES) {
            start.add(TextLayout.BOUNDARY);
        }
        List<String> tokens = TextLayout.tokenize(text.lowercase() ? seed.toLowerCase(java.util.Locale.ROOT) : seed, text.unit());
        for (int i = 0; i < tokens.size(); i++) {
            if (!index.containsKey(tokens.get(i))) {
                throw new UnknownSymbolException(-1, tokens.get(i), i);
            }
        }
        start.addAll(tokens);
        if (start.isEmpty()) {
            throw new SequenceLengthException(-1, "a model trained on a text stream needs a seed to start from");
        }
        List<String> sampled;
        synchronized (generationLock) {
            if (generator == null) {
                generator = new TokenSampler(bundle.network().clone(), vocabulary, index, index.get(TextLayout.UNKNOWN));
            }
            sampled = generator.sample(start, length, text.mode() == TextMode.LINES ? TextLayout.BOUNDARY : null, temperature, topK, rngSeed);
        }
        String joiner = text.unit() == TextUnit.WORD ? " " : "";
        return seed + (seed.isEmpty() || joiner.isEmpty() ? "" : joiner) + String.join(joiner, sampled);
    }

    /**
     * The translation of one source by a sequence-to-sequence model ({@code task.topology: sequence-to-sequence}),
     * decoded as configured ({@code task.translation.beamWidth}: greedy when 1).
     *
     * @throws UnknownSymbolException    a source symbol outside the model's vocabulary when the model's
     *                                   {@code task.translation.unknownSymbols} is reject (else it is read as {@code <unk>})
     * @throws SequenceLengthException   an empty source, or one longer than {@code task.translation.maxSourceLength}
     * @throws UnsupportedByModelException any other topology
     */
    public String translate(String source) {
        return translate(source, bundle.config().task().translation().beamWidth());
    }

    /** {@link #translate(String)} with beam search of the given width (1: greedy). */
    public String translate(String source, int beamWidth) {
        return translate(List.of(source), beamWidth, true).get(0);
    }

    /**
     * {@link #translate(String, int)} for many sources at once, in order; greedy decoding batches sources of equal
     * length, so this is faster than one by one. A faulty source is named by its index ({@link ModelInputException#sequenceIndex()}).
     */
    public List<String> translate(List<String> sources, int beamWidth) {
        return translate(sources, beamWidth, false);
    }

    private List<String> translate(List<String> sources, int beamWidth, boolean single) {
        ExperimentConfig config = bundle.config();
        if (!(task instanceof Task.Translator)) {
            throw new UnsupportedByModelException("translate() needs a sequence-to-sequence model; this is a " + describe());
        }
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beam width must be at least 1, got " + beamWidth);
        }
        if (contract.vocabulary() == null) {
            throw new UnsupportedByModelException("this sequence-to-sequence bundle (format " + formatVersion
                    + ") keeps no input vocabulary; retrain it with this rnnkit (format " + Bundle.FORMAT_VERSION + ")");
        }
        TranslationConfig limits = config.task().translation();
        DelayedPairs form = DelayedPairs.fromInputVocabulary(contract.vocabulary());
        TextUnit unit = config.data().format() == DataFormat.TEXT ? config.data().text().unit() : TextUnit.CHARACTER;
        boolean lowercase = config.data().format() == DataFormat.TEXT && config.data().text().lowercase();
        List<int[]> encoded = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            int index = single ? -1 : i;
            String text = sources.get(i) == null ? "" : sources.get(i);
            List<String> symbols = TextLayout.tokenize(lowercase ? text.toLowerCase(java.util.Locale.ROOT) : text, unit);
            if (symbols.isEmpty()) {
                throw new SequenceLengthException(index, "empty source: nothing to translate");
            }
            if (symbols.size() > limits.maxSourceLength()) {
                throw new SequenceLengthException(index, "source of " + symbols.size() + " symbols; the model takes at most "
                        + limits.maxSourceLength() + " (task.translation.maxSourceLength)");
            }
            int unknown = form.firstUnknown(symbols, false);
            if (unknown >= 0 && limits.unknownSymbols() == UnknownSymbols.REJECT) {
                throw new UnknownSymbolException(index, symbols.get(unknown), unknown);
            }
            encoded.add(form.encodeSource(symbols));
        }
        List<int[]> decoded;
        synchronized (generationLock) {
            if (translator == null) {
                translator = new SequenceDecoder(bundle.network().clone(), form.separator(), limits.maxTargetLength());
            }
            decoded = translator.decode(encoded, beamWidth);
        }
        String joiner = unit == TextUnit.WORD ? " " : "";
        return decoded.stream().map(classes -> String.join(joiner, form.decodeTarget(classes))).toList();
    }

    /** {@link #generate(String, int, double, int, long)} among all tokens, with RNG seed 1. */
    public String generate(String seed, int length, double temperature) {
        return generate(seed, length, temperature, 0, 1);
    }

    /**
     * A new stream: a sequence fed one step at a time ({@link ModelStream#step}), with its own recurrent state.
     * Streams cost only that state (a few vectors per recurrent layer), so one per user, sensor or session is
     * fine; any number may be stepped from any threads at once.
     *
     * @throws UnsupportedByModelException for a model with a bidirectional layer, which needs the whole sequence
     */
    public ModelStream openStream() {
        if (streamBlocker != null) {
            throw new UnsupportedByModelException("this " + describe() + " cannot be streamed: " + streamBlocker
                    + "; pass whole sequences to " + (contract.isClassification() ? "classify" : "predict")
                    + (task.answersPerStep() ? "Steps()" : "()") + " instead");
        }
        return new ModelStream(this);
    }

    /**
     * One step of a stream on a step network: the stream's state in, the output and the state after the step
     * out. A null state is the start of a sequence. The state is put into the replica's layers unless they
     * already hold it (the replica's last step was this stream's last step), which is the common case of a
     * stream stepped on one thread, since replicas are lent most-recently-returned first.
     */
    StepResult step(double[] values, int stepIndex, StateMaps state) {
        checkStep(values, -1, stepIndex);
        return stepNetworks.use(replica -> {
            MultiLayerNetwork net = replica.network();
            if (state == null) {
                net.rnnClearPreviousState();
            } else if (replica.holds != state) {
                state.restoreInto(net, recurrentLayers);
            }
            replica.holds = null;
            for (int f = 0; f < values.length; f++) {
                replica.input().putScalar(f, scaler.feature(f, values[f]));
            }
            float[] row = row(net.rnnTimeStep(replica.input()), 0);
            StateMaps next = StateMaps.of(net, recurrentLayers);
            replica.holds = next;
            return new StepResult(contract.isClassification() ? widen(row) : values(row), next);
        });
    }

    /** The output after one step and the recurrent state to continue from. */
    record StepResult(double[] output, StateMaps state) {
    }

    /**
     * A step network with its input array (one step, {@code [1, features]}, rewritten in place each step rather
     * than allocated: creating a native array costs more than the rest of the wrapper's work on a step) and the
     * state its recurrent layers hold, when that is a stream's state after a step.
     */
    private static final class StepReplica {
        private final MultiLayerNetwork network;
        private final INDArray input;
        private StateMaps holds;

        StepReplica(MultiLayerNetwork network, INDArray input) {
            this.network = network;
            this.input = input;
        }

        MultiLayerNetwork network() {
            return network;
        }

        INDArray input() {
            return input;
        }
    }

    /** The predictor's answers, after checking every sequence. */
    private List<Predictor.Answer> answers(List<double[][]> sequences, boolean single) {
        return answers(sequences, single, 0, null);
    }

    private List<Predictor.Answer> answers(List<double[][]> sequences, boolean single, int horizon, List<List<String>> ids) {
        if (ids == null && predictor.scalesPerSeries()) {
            throw new UnsupportedByModelException("this " + describe() + " scales each series by its own statistics"
                    + " (data.series.normalizerScope: per-series): name the series of each window with predict(sequences, seriesIds),"
                    + " predict(read(file)) or forecast(seriesId, history, horizon)");
        }
        for (int i = 0; i < sequences.size(); i++) {
            checkSequence(sequences.get(i), single ? -1 : i);
        }
        try {
            return predictor.predict(sequences, horizon, ids);
        } catch (ModelInputException e) {
            throw single ? new ModelInputException(-1, e.detail()) : e;
        }
    }

    private void checkSequence(double[][] sequence, int index) {
        if (sequence == null || sequence.length == 0) {
            throw new SequenceLengthException(index, "the sequence is empty; the model takes " + contract.lengthRule());
        }
        if (contract.fixedLength() && sequence.length != contract.maxLength()) {
            throw new SequenceLengthException(index, "the sequence has " + sequence.length + " steps, but the model takes exactly "
                    + contract.maxLength() + " (it was trained on sequences of that one length)");
        }
        for (int t = 0; t < sequence.length; t++) {
            checkStep(sequence[t], index, t);
        }
    }

    private void checkStep(double[] values, int index, int step) {
        checkValues(values, index, "step " + step);
    }

    /** {@code what} ("step 3", "the vector") has one finite value per feature. */
    private void checkValues(double[] values, int index, String what) {
        int count = values == null ? 0 : values.length;
        if (count != contract.features()) {
            throw new FeatureCountException(index, what + " has " + count + " value(s), but the model reads "
                    + contract.features() + (what.startsWith("step") ? " per step " : " ") + contract.featureNames());
        }
        for (int f = 0; f < count; f++) {
            if (!Double.isFinite(values[f])) {
                throw new NonFiniteInputException(index, what + ", feature " + contract.featureNames().get(f) + ": "
                        + values[f] + "; the model needs finite values (fill in missing values before calling it)");
            }
        }
    }

    private void requireKind(boolean classification, String method, String instead) {
        if (contract.isClassification() != classification) {
            throw new UnsupportedByModelException(method + " needs a " + (classification ? "classification" : "regression")
                    + " model; this is a " + describe() + ": use " + instead);
        }
    }

    /** A per-sequence call ({@code method}) on a model that answers at every step is refused, not answered with one step's output. */
    private void requirePerSequence(String method, String instead) {
        if (task.answersPerStep()) {
            throw new UnsupportedByModelException(method + " gives one answer per sequence, but this " + describe()
                    + " answers at every step: use " + instead);
        }
        if (task instanceof Task.TextGenerator || task instanceof Task.Translator) {
            throw new UnsupportedByModelException(method + " gives one answer per sequence, but this " + describe()
                    + " " + (task instanceof Task.Translator ? "translates: use translate()" : "generates text: use generate(String, ...)"));
        }
    }

    private void requirePerStep(String method, String instead) {
        if (!task.answersPerStep()) {
            throw new UnsupportedByModelException(method + " needs a model that answers at every step (task.topology: many-to-many);"
                    + " this is a " + describe() + ": use " + instead);
        }
    }

    /** "many-to-many classification model (per-step tagger)". */
    private String describe() {
        return task.describe();
    }

    /**
     * Row {@code i} of a {@code [n, k]} output, read value by value: DL4J's {@code toFloatVector()} and
     * {@code getRow} cost several microseconds each on a row of a few values (as much as the rest of a stream
     * step's wrapping), reading the values a fraction of one.
     */
    private static float[] row(INDArray output, int i) {
        float[] out = new float[(int) output.size(1)];
        for (int k = 0; k < out.length; k++) {
            out[k] = output.getFloat(i, k);
        }
        return out;
    }

    private double[] values(float[] row) {
        double[] out = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            out[k] = scaler.revertLabel(k, row[k]);
        }
        return out;
    }

    private static double[] widen(float[] row) {
        double[] out = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            out[k] = row[k];
        }
        return out;
    }

    /** A null sequence becomes an empty one, so that it is refused by the length check like any empty sequence. */
    private static double[][] sequenceOrEmpty(double[][] sequence) {
        return sequence == null ? new double[0][] : sequence;
    }
}
