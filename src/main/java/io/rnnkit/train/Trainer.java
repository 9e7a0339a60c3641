package io.rnnkit.train;

import io.rnnkit.config.EarlyStoppingConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.EpochIterator;
import io.rnnkit.data.PreparedData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.nn.NetworkBuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop, whoever asks for it (command line, tests, tuner): epochs of seeded minibatches,
 * the validation metric after each, a stop after {@code patience} epochs without improvement, and the best
 * epoch's parameters restored at the end. A NaN or infinite loss stops training at once.
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult train(ExperimentConfig config, PreparedData data, TrainingProgress progress) {
        MultiLayerNetwork net = NetworkBuilder.build(config, data.split().inputWidth(), data.split().outputs());
        EpochIterator batches = new EpochIterator(data.train(), config.training().batchSize(), config.training().shuffle(), config.seed());
        LossCollector losses = new LossCollector(progress, batches.batchesPerEpoch());
        net.setListeners(losses);

        EarlyStoppingConfig early = config.training().earlyStopping();
        String metric = YamlNames.of(early.metric());
        List<EpochRecord> history = new ArrayList<>();
        INDArray bestParams = null;
        double bestValue = Double.NaN;
        int bestEpoch = -1;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        long start = System.nanoTime();
        int epochs = config.training().epochs();
        for (int epoch = 0; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            batches.startEpoch(epoch);
            losses.startEpoch(epoch + 1);
            net.fit(batches);
            double trainLoss = losses.mean();
            Map<String, Double> validation = Map.of();
            boolean best = false;
            if (data.validation() != null) {
                SplitMetrics m = Evaluator.evaluate(net, data.validation(), data.split().validation(), data.normalizer(), data.split().forecast());
                validation = m.values();
                double value = m.get(metric);
                if (early.metric().better(value, bestValue)) {
                    bestValue = value;
                    bestEpoch = epoch + 1;
                    bestParams = net.params().dup();
                    sinceBest = 0;
                    best = true;
                } else {
                    sinceBest++;
                }
            } else {
                bestEpoch = epoch + 1;
            }
            EpochRecord record = new EpochRecord(epoch + 1, trainLoss, validation, (System.nanoTime() - epochStart) / 1e9, best);
            history.add(record);
            progress.epoch(record, epochs);
            if (early.patience() > 0 && sinceBest >= early.patience()) {
                stoppedEarly = true;
                progress.note("early stop: no better validation " + metric + " for " + early.patience() + " epochs; best epoch " + bestEpoch);
                break;
            }
        }
        if (early.restoreBest() && bestParams != null) {
            net.setParams(bestParams);
        } else {
            bestEpoch = history.size();
        }
        return new TrainingResult(net, history, bestEpoch, stoppedEarly, (System.nanoTime() - start) / 1e9);
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

    /** Mean loss per epoch from DL4J's per-iteration score, and the NaN guard. */
    private static final class LossCollector extends BaseTrainingListener {
        private final TrainingProgress progress;
        private final int batches;
        private int epoch;
        private int count;
        private double sum;

        LossCollector(TrainingProgress progress, int batches) {
            this.progress = progress;
            this.batches = batches;
        }

        void startEpoch(int epoch) {
            this.epoch = epoch;
            count = 0;
            sum = 0;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epochCount) {
            double score = perStep(model, model.score());
            if (!Double.isFinite(score)) {
                throw new TrainingDivergedException(epoch, iteration, score);
            }
            sum += score;
            count++;
            progress.batch(epoch, count, batches, score);
        }
    }
}
