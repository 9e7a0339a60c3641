package io.rnnkit.train;

import io.rnnkit.config.EarlyStoppingConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.PlateauConfig;
import io.rnnkit.config.UpdaterConfig;
import io.rnnkit.config.UpdaterRestart;
import io.rnnkit.config.WeightAveragingConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.Augmentation;
import io.rnnkit.data.EpochIterator;
import io.rnnkit.data.PreparedData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.nn.NetworkBuilder;
import io.rnnkit.nn.Updaters;
import io.rnnkit.nn.WarmupSchedule;
import io.rnnkit.bundle.Predictor;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.rnnkit.nn.layers.LayerThreads;
import java.util.List;
import java.util.Map;

/**
 * The one training loop, whoever asks for it (command line, tests, tuner): epochs of seeded minibatches,
 * the validation metric after each (smoothed over {@code smoothing} epochs, ties broken by the loss, {@link EpochChoice}),
 * a stop after {@code patience} epochs without improvement, and the best
 * epoch's parameters restored at the end (with weight averaging, the mean of the last epochs' instead). Between
 * epochs it restarts the updater's state or not ({@code updaterRestart}) and lowers the rate on a plateau. A NaN or
 * infinite loss stops training at once. With {@link Checkpoints} it snapshots every whole epoch and can continue
 * from one.
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult train(ExperimentConfig config, PreparedData data, TrainingProgress progress) {
        return train(config, data, progress, null, null, List.of());
    }

    /**
     * Trains from scratch ({@code resume} null) or continues a checkpointed run. Epoch k's minibatch order and
     * ND4J's random stream (dropout) are both seeded from (seed, k), so a run resumed after epoch k reaches the
     * same parameters as one that never stopped.
     *
     * @param checkpoints where whole-epoch snapshots go; null for none
     * @param listeners   more DL4J listeners, such as the training UI's
     */
    static TrainingResult train(ExperimentConfig config, PreparedData data, TrainingProgress progress, Checkpoints checkpoints,
                                Checkpoints.Saved resume, List<TrainingListener> listeners) {
        useThreads(config);
        MultiLayerNetwork net = resume != null ? resume.network() : network(config, data);
        EpochIterator batches = batches(config, data);
        LossCollector losses = new LossCollector(progress, batches.batchesPerEpoch());
        List<TrainingListener> all = new java.util.ArrayList<>(listeners);
        all.add(0, losses);
        net.setListeners(all);
        if (config.training().distributed() == null) {
            return train(config, data, progress, checkpoints, resume, net, losses, (n, epoch) -> {
                batches.startEpoch(epoch);
                n.fit(batches);
            });
        }
        // Spark's classes are only loaded here, so a run without training.distributed needs none of them
        try (DataParallel parallel = DataParallel.start(config, data, batches.batchesPerEpoch(), progress)) {
            return train(config, data, progress, checkpoints, resume, net, losses, (n, epoch) -> parallel.fitEpoch(n, epoch, losses));
        }
    }

    /** One pass over the epoch's minibatches: {@code net.fit} here, or on Spark's workers ({@link DataParallel}). */
    interface EpochPass {
        void fit(MultiLayerNetwork net, int epoch);
    }

    /** training.threads for rnnkit's layers in this JVM (a data-parallel worker's too). */
    static void useThreads(ExperimentConfig config) {
        LayerThreads.set(threads(config));
    }

    /** The layer thread count training.threads gives in this JVM (0: {@link LayerThreads#defaultCount}). */
    static int threads(ExperimentConfig config) {
        int threads = config.training().threads();
        return threads == 0 ? LayerThreads.defaultCount() : threads;
    }

    /** The network a run starts from (the same on every worker of a data-parallel run). */
    static MultiLayerNetwork network(ExperimentConfig config, PreparedData data) {
        return NetworkBuilder.build(config, data.split().features(), data.split().vocabulary(), data.split().outputs(),
                data.split().lossWeights(config.training().classWeights()));
    }

    /** The seeded minibatches of the training split (the same order on every worker of a data-parallel run). */
    static EpochIterator batches(ExperimentConfig config, PreparedData data) {
        return data.batches(config.training().batchSize(), config.training().shuffle(), config.seed(),
                new Augmentation(config.training().augmentation()));
    }

    private static TrainingResult train(ExperimentConfig config, PreparedData data, TrainingProgress progress, Checkpoints checkpoints,
                                        Checkpoints.Saved resume, MultiLayerNetwork net, LossCollector losses, EpochPass pass) {
        TrainingState state = resume != null ? resume.state() : new TrainingState();
        Predictor validator = Predictor.on(net, config, data);

        EarlyStoppingConfig early = config.training().earlyStopping();
        WeightAveragingConfig averaging = config.training().weightAveraging();
        String metric = YamlNames.of(early.metric());
        boolean stoppedEarly = early.patience() > 0 && state.sinceBest >= early.patience();
        long start = System.nanoTime();
        int epochs = config.training().epochs();
        for (int epoch = state.epochsDone; epoch < epochs && !stoppedEarly; epoch++) {
            long epochStart = System.nanoTime();
            Nd4j.getRandom().setSeed(config.seed() * 1_000_033L + epoch);
            losses.startEpoch(epoch + 1);
            pass.fit(net, epoch);
            double trainLoss = losses.mean();
            Map<String, Double> validation = Map.of();
            boolean best = false;
            if (data.has("validation")) {
                SplitMetrics m = Evaluator.evaluate(validator, data, "validation");
                if (config.training().updaterRestart() == UpdaterRestart.EVERY_EPOCH) {
                    // DL4J's clear() drops the solver, so the next fit builds a new updater: Adam's moments restart at zero
                    // (a large first step each epoch, like a warm restart). rnnkit always trained so, and every shipped
                    // config and learning threshold was measured with it (without it dates fell from 0.99 to 0.63 exact
                    // match and notebook 6's LSTM no longer learned in 5 epochs); updaterRestart: never keeps the state.
                    net.clear();
                }
                validation = m.values();
                double value = m.get(metric);
                plateau(config, net, state, value);
                double[] smoothed = smoothed(state.history, m.values(), metric, early.smoothing());
                if (EpochChoice.improves(early.metric(), early.smoothing(), smoothed[0], smoothed[1], state.bestValue, bestLoss(state, early.smoothing()))) {
                    state.bestValue = smoothed[0];
                    state.bestEpoch = epoch + 1;
                    state.bestParams = net.params().dup();
                    state.sinceBest = 0;
                    best = true;
                } else {
                    state.sinceBest++;
                }
            } else {
                state.bestEpoch = epoch + 1;
            }
            EpochRecord record = new EpochRecord(epoch + 1, trainLoss, validation, (System.nanoTime() - epochStart) / 1e9, best,
                    losses.gradientNorms());
            state.history.add(record);
            state.epochsDone = epoch + 1;
            if (epoch + 1 > epochs - averaging.lastEpochs()) {
                state.averageSum = state.averageSum == null ? net.params().dup() : state.averageSum.addi(net.params());
            }
            if (checkpoints != null) {
                checkpoints.epochDone(net, state);
            }
            progress.epoch(record, epochs);
            if (early.patience() > 0 && state.sinceBest >= early.patience()) {
                stoppedEarly = true;
                progress.note("early stop: no better validation " + metric + " for " + early.patience() + " epochs; best epoch " + state.bestEpoch);
            } else if (epoch + 1 < epochs && progress.stopAfter(record)) {
                stoppedEarly = true;
            }
        }
        int bestEpoch = state.bestEpoch;
        if (averaging.enabled() && state.averageSum != null) {
            // the mean of the epochs averaged (fewer than lastEpochs only when the tuner's pruner stopped the run)
            int first = epochs - averaging.lastEpochs() + 1;
            net.setParams(state.averageSum.div(state.epochsDone - first + 1));
            bestEpoch = state.history.size();
            progress.note("weight averaging: the model is the mean of epochs " + first + "–" + state.epochsDone);
        } else if (early.restoreBest() && state.bestParams != null) {
            net.setParams(state.bestParams);
        } else {
            bestEpoch = state.history.size();
        }
        return new TrainingResult(net, state.history, bestEpoch, stoppedEarly, (System.nanoTime() - start) / 1e9);
    }

    private static final String LOSS = YamlNames.of(io.rnnkit.config.Metric.LOSS);

    /**
     * This epoch's validation metric and loss, each the mean over the last {@code window} epochs (this one included):
     * early stopping judges the smoothed curve. Read from the history, so a resumed run smooths as an unbroken one.
     */
    static double[] smoothed(List<EpochRecord> history, Map<String, Double> current, String metric, int window) {
        double[] values = new double[history.size() + 1];
        double[] losses = new double[values.length];
        for (int e = 0; e < history.size(); e++) {
            values[e] = history.get(e).validation().getOrDefault(metric, Double.NaN);
            losses[e] = history.get(e).validation().getOrDefault(LOSS, Double.NaN);
        }
        values[history.size()] = current.get(metric);
        losses[history.size()] = current.getOrDefault(LOSS, Double.NaN);
        return new double[]{EpochChoice.smoothed(values, history.size(), window), EpochChoice.smoothed(losses, history.size(), window)};
    }

    /** The smoothed validation loss of the best epoch so far (NaN before the first). */
    private static double bestLoss(TrainingState state, int window) {
        if (state.bestEpoch < 1 || state.bestEpoch > state.history.size()) {
            return Double.NaN;
        }
        return smoothed(state.history.subList(0, state.bestEpoch - 1), state.history.get(state.bestEpoch - 1).validation(), LOSS, window)[0];
    }

    /**
     * Reduce-on-plateau: after {@code patience} epochs without a better validation metric the rate's scale is
     * multiplied by {@code factor} (never below minLearningRate / learningRate) and set on the network, whose
     * updater keeps its state. The scale is part of the network's configuration, so a checkpoint keeps it.
     */
    static void plateau(ExperimentConfig config, MultiLayerNetwork net, TrainingState state, double value) {
        UpdaterConfig updater = config.training().updater();
        PlateauConfig p = updater.plateau();
        if (!p.enabled()) {
            return;
        }
        if (config.training().earlyStopping().metric().better(value, state.plateauBest)) {
            state.plateauBest = value;
            state.plateauSince = 0;
            return;
        }
        if (++state.plateauSince < p.patience()) {
            return;
        }
        state.plateauSince = 0;
        double scale = Math.max(state.learningRateScale * p.factor(), p.minLearningRate() / updater.learningRate());
        if (scale < state.learningRateScale) {
            state.learningRateScale = scale;
            WarmupSchedule schedule = (WarmupSchedule) Updaters.schedule(updater, config.training().epochs());
            Updaters.setSchedule(net, schedule.withScale(scale));
        }
    }

    /**
     * DL4J scores per-step outputs as the sum over the labelled steps of each example; dividing by the mean
     * number of labelled steps (of this minibatch, or TBPTT segment) makes it a loss per step, comparable
     * with the validation loss and with many-to-one runs.
     */
    static double perStep(Model model, double score) {
        if (!(model instanceof MultiLayerNetwork net) || net.getLabels() == null || net.getLabels().rank() != 3) {
            return score;
        }
        INDArray labels = net.getLabels();
        INDArray mask = net.getOutputLayer().getMaskArray();
        double steps = mask != null ? mask.sumNumber().doubleValue() / labels.size(0) : labels.size(2);
        return steps > 0 ? score / steps : score;
    }

    /**
     * Mean loss per epoch from DL4J's per-iteration score, the NaN guard, and the mean per-layer norm of the
     * parameter gradient (taken in {@code onGradientCalculation}, before the updater clips it).
     */
    static final class LossCollector extends BaseTrainingListener {
        private final TrainingProgress progress;
        private final int batches;
        private final Map<String, Double> gradientSums = new java.util.TreeMap<>();
        private int gradientCount;
        private int epoch;
        private int count;
        private long sequences;
        private double sum;

        LossCollector(TrainingProgress progress, int batches) {
            this.progress = progress;
            this.batches = batches;
        }

        void startEpoch(int epoch) {
            this.epoch = epoch;
            count = 0;
            sequences = 0;
            sum = 0;
            gradientSums.clear();
            gradientCount = 0;
        }

        /** Per-layer sums of gradient norms over this epoch's minibatches so far (what a data-parallel worker sends back). */
        Map<String, Double> gradientSums() {
            return new java.util.TreeMap<>(gradientSums);
        }

        int gradientCount() {
            return gradientCount;
        }

        /** A data-parallel worker's gradient norm sums over {@code count} minibatches, joined to this epoch's. */
        void addGradients(Map<String, Double> sums, int count) {
            sums.forEach((layer, total) -> gradientSums.merge(layer, total, Double::sum));
            gradientCount += count;
        }

        Map<String, Double> gradientNorms() {
            Map<String, Double> means = new java.util.TreeMap<>();
            gradientSums.forEach((layer, total) -> means.put(layer, total / Math.max(gradientCount, 1)));
            return means;
        }

        @Override
        public void onGradientCalculation(Model model) {
            Map<String, Double> squares = new java.util.TreeMap<>();
            model.gradient().gradientForVariable().forEach((name, g) -> {
                // DL4J names parameters "<layer>_<param>", e.g. 0_W, 0_RW, 1_b
                String layer = name.substring(0, name.indexOf('_'));
                double norm = g.norm2Number().doubleValue();
                squares.merge(layer, norm * norm, Double::sum);
            });
            squares.forEach((layer, sq) -> gradientSums.merge(layer, Math.sqrt(sq), Double::sum));
            gradientCount++;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epochCount) {
            record(perStep(model, model.score()), model.batchSize(), iteration);
        }

        /** A minibatch's loss per step, trained here or by a worker of a data-parallel run. */
        void record(double score, long batchSize, int iteration) {
            if (!Double.isFinite(score)) {
                throw new TrainingDivergedException(epoch, iteration, score);
            }
            sum += score;
            count++;
            sequences += batchSize;
            progress.batch(epoch, count, batches, score, sequences);
        }
    }
}
