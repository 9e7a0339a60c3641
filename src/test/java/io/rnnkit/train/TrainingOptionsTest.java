package io.rnnkit.train;

import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Yaml;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.nn.NetworkBuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training options of issue 22 seen in the training loop: updater restart, reduce-on-plateau, weight averaging, AdamW. */
class TrainingOptionsTest {

    /** The L1 norm of the updater's state (Adam's moments) when each epoch computes its first gradient. */
    private static final class StateAtEpochStart extends BaseTrainingListener {
        final List<Double> norms = new ArrayList<>();
        private boolean first;

        @Override
        public void onEpochStart(Model model) {
            first = true;
        }

        @Override
        public void onGradientCalculation(Model model) {
            if (first) {
                first = false;
                norms.add(((MultiLayerNetwork) model).getUpdater().getStateViewArray().norm1Number().doubleValue());
            }
        }
    }

    private static List<Double> stateAtEpochStarts(String restart) {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=3", "training.updaterRestart=" + restart);
        SplitData split = DatasetLoader.load(loaded);
        StateAtEpochStart probe = new StateAtEpochStart();
        Trainer.train(loaded.config(), PreparedData.of(split, loaded.config()), TrainingProgress.SILENT, null, null,
                List.<TrainingListener>of(probe));
        return probe.norms;
    }

    @Test
    void updaterRestartSaysWhetherAdamsMomentsSurviveTheEpoch() {
        List<Double> every = stateAtEpochStarts("every-epoch");
        List<Double> never = stateAtEpochStarts("never");
        assertEquals(3, every.size());
        assertEquals(3, never.size());
        // both start from zero moments; every-epoch is back at zero when epochs 2 and 3 begin, never carries them over
        assertEquals(List.of(0.0, 0.0, 0.0), every);
        assertEquals(0.0, never.get(0));
        assertTrue(never.get(1) > 0 && never.get(2) > 0, "moments kept: " + never);
    }

    private static MultiLayerNetwork network(LoadedConfig loaded) {
        return NetworkBuilder.build(loaded.config(), 1, null, 3);
    }

    @Test
    void plateauHalvesTheRateOfEveryLayerAfterPatienceEpochsAndStopsAtTheMinimum() {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=20", "training.earlyStopping.metric=loss",
                "training.updater={learningRate: 0.01, plateau: {patience: 2, factor: 0.5, minLearningRate: 0.003}}");
        MultiLayerNetwork net = network(loaded);
        INDArray moments = Nd4j.rand(net.getUpdater().getStateViewArray().dataType(), net.getUpdater().getStateViewArray().shape());
        net.getUpdater().getStateViewArray().assign(moments);
        TrainingState state = new TrainingState();
        double[] losses = {1.0, 0.9, 0.95, 0.92};
        for (double loss : losses) {
            Trainer.plateau(loaded.config(), net, state, loss);
        }
        // 0.9 is the best; 0.95 and 0.92 are two epochs without a better loss: one reduction
        assertEquals(0.5, state.learningRateScale, 1e-12);
        for (int layer = 0; layer < net.getnLayers(); layer++) {
            // layer 0 is the LSTM inside LastTimeStep, a wrapper DL4J's own setLearningRate passes over
            assertEquals(0.005, net.getLayer(layer).conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 3), 1e-12, "layer " + layer);
        }
        assertEquals(moments, net.getUpdater().getStateViewArray(), "the updater's state survives the new rate");
        for (double loss : new double[]{0.93, 0.94, 0.95, 0.96, 0.97, 0.98}) {
            Trainer.plateau(loaded.config(), net, state, loss);
        }
        assertEquals(0.3, state.learningRateScale, 1e-12, "0.25 would take the rate below minLearningRate 0.003");
        assertEquals(0.003, net.getLayer(1).conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 9), 1e-12);
    }

    @Test
    void plateauAndAveragingStateRideInTheCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=20",
                "training.updater={learningRate: 0.01, plateau: {patience: 1, factor: 0.5}}");
        MultiLayerNetwork net = network(loaded);
        TrainingState state = new TrainingState();
        state.epochsDone = 2;
        Trainer.plateau(loaded.config(), net, state, 1.0);
        Trainer.plateau(loaded.config(), net, state, 2.0);
        state.averageSum = net.params().mul(3);
        new Checkpoints(dir, 1).epochDone(net, state);
        Checkpoints.Saved saved = Checkpoints.read(dir);
        assertEquals(state.averageSum, saved.state().averageSum, "weight averaging's running sum");
        assertEquals(0.5, saved.state().learningRateScale);
        assertEquals(1.0, saved.state().plateauBest);
        assertEquals(0.005, saved.network().getLayer(1).conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 5), 1e-12);
    }

    /** The parameters at the end of each epoch. */
    private static final class ParamsAtEpochEnd extends BaseTrainingListener {
        final List<INDArray> params = new ArrayList<>();

        @Override
        public void onEpochEnd(Model model) {
            params.add(model.params().dup());
        }
    }

    @Test
    void weightAveragingKeepsTheMeanOfTheLastEpochs() {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=4", "training.weightAveraging.lastEpochs=2",
                "training.earlyStopping={patience: 0, restoreBest: false}");
        SplitData split = DatasetLoader.load(loaded);
        ParamsAtEpochEnd probe = new ParamsAtEpochEnd();
        TrainingResult r = Trainer.train(loaded.config(), PreparedData.of(split, loaded.config()), TrainingProgress.SILENT, null, null,
                List.<TrainingListener>of(probe));
        assertEquals(4, probe.params.size());
        INDArray mean = probe.params.get(2).add(probe.params.get(3)).divi(2);
        assertTrue(mean.equalsWithEps(r.network().params(), 1e-6), "the mean of epochs 3 and 4");
        assertTrue(probe.params.get(3).distance2(r.network().params()) > 1e-4, "not the last epoch's");
        assertEquals(4, r.bestEpoch());
    }

    /**
     * A run stopped after epoch 2 and resumed from its checkpoint ends with the parameters of one that never stopped,
     * with the options' state in play: the moments kept (never), a reduced rate (plateau), an average begun.
     */
    @Test
    void aRunResumedWithTheOptionsEndsAsAnUninterruptedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=4", "training.updaterRestart=never",
                "training.updater={type: adamw, learningRate: 0.01, weightDecay: 0.01, schedule: {type: cosine, warmup: 1},"
                        + " plateau: {patience: 1, factor: 0.5}}",
                "training.weightAveraging.lastEpochs=3", "training.earlyStopping={metric: accuracy, patience: 0, restoreBest: false}");
        SplitData split = DatasetLoader.load(loaded);
        PreparedData data = PreparedData.of(split, loaded.config());
        TrainingResult whole = Trainer.train(loaded.config(), data, TrainingProgress.SILENT);
        double lr = whole.network().getLayer(1).conf().getLayer().getUpdaterByParam("W").getLearningRate(0, 3);
        assertTrue(lr < 0.01 * (1 + Math.cos(Math.PI * 3 / 4)) / 2 - 1e-9, "the plateau reduced the rate: " + lr);

        Trainer.train(loaded.config(), data, stopAfter(2), new Checkpoints(dir, 1), null, List.of());
        TrainingResult resumed = Trainer.train(loaded.config(), data, TrainingProgress.SILENT, null, Checkpoints.read(dir), List.of());
        assertEquals(4, resumed.history().size());
        assertEquals(whole.network().params(), resumed.network().params());
    }

    /** Progress that stops training after the given epoch (a run to resume). */
    private static TrainingProgress stopAfter(int epoch) {
        return new TrainingProgress() {
            @Override
            public boolean stopAfter(EpochRecord record) {
                return record.epoch() == epoch;
            }
        };
    }

    /**
     * training.threads: 2 splits each minibatch (about 20 sequences) across two threads; the same seed gives the
     * same parameters, and a run resumed after epoch 1 ends with the parameters of an uninterrupted one.
     */
    @Test
    void twoThreadsRepeatAndResumeToTheBit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        int before = io.rnnkit.nn.layers.LayerThreads.get();
        try {
            LoadedConfig loaded = Yaml.load(Yaml.MINIMAL, "training.epochs=3", "training.threads=2",
                    "training.earlyStopping={patience: 0, restoreBest: false}");
            PreparedData data = PreparedData.of(DatasetLoader.load(loaded), loaded.config());
            io.rnnkit.nn.layers.LayerThreads.set(1);
            TrainingResult whole = Trainer.train(loaded.config(), data, TrainingProgress.SILENT);
            assertEquals(2, io.rnnkit.nn.layers.LayerThreads.get(), "training.threads sets the layers' threads");
            assertEquals(whole.network().params(), Trainer.train(loaded.config(), data, TrainingProgress.SILENT).network().params());
            Trainer.train(loaded.config(), data, stopAfter(1), new Checkpoints(dir, 1), null, List.of());
            TrainingResult resumed = Trainer.train(loaded.config(), data, TrainingProgress.SILENT, null, Checkpoints.read(dir), List.of());
            assertEquals(whole.network().params(), resumed.network().params());
        } finally {
            io.rnnkit.nn.layers.LayerThreads.set(before);
        }
    }

    @Test
    void adamwDecaysWeightsOutsideAdamsMoments() {
        LoadedConfig adam = Yaml.load(Yaml.MINIMAL, "training.updater={type: adam, learningRate: 0.01}");
        LoadedConfig adamw = Yaml.load(Yaml.MINIMAL, "training.updater={type: adamw, learningRate: 0.01, weightDecay: 0.1}");
        MultiLayerNetwork a = network(adam);
        MultiLayerNetwork w = network(adamw);
        Map<String, INDArray> before = new java.util.HashMap<>();
        a.paramTable().forEach((k, v) -> before.put(k, v.dup()));
        assertEquals(a.params(), w.params(), "the same seed, the same initial parameters");
        Nd4j.getRandom().setSeed(1);
        DataSet batch = new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 12),
                Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        a.fit(batch);
        w.fit(batch);
        // decoupled: AdamW's step is Adam's step plus lr·λ·w, on weights only; an L2 term would have gone through
        // Adam's normalisation and changed the whole step
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            String key = e.getKey();
            boolean weight = !key.endsWith("_b");
            INDArray expected = a.getParam(key).sub(weight ? e.getValue().mul(0.01 * 0.1) : e.getValue().mul(0));
            assertTrue(expected.equalsWithEps(w.getParam(key), 1e-6), key + ": " + expected + " vs " + w.getParam(key));
            if (weight) {
                assertTrue(a.getParam(key).distance2(w.getParam(key)) > 1e-5, key + " decayed");
            }
        }
    }
}
