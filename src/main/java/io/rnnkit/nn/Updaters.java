package io.rnnkit.nn;

import io.rnnkit.config.ScheduleConfig;
import io.rnnkit.config.UpdaterConfig;
import io.rnnkit.config.WarmupUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * The config's updater and learning-rate schedule as ND4J objects; schedules count epochs. A warm-up or
 * reduce-on-plateau wraps the schedule in a {@link WarmupSchedule}; without them the schedule is ND4J's own, as it
 * always was, so the networks of older configs are built exactly as before.
 */
public final class Updaters {
    private Updaters() {
    }

    public static IUpdater of(UpdaterConfig config, int epochs) {
        ISchedule schedule = schedule(config, epochs);
        return switch (config.type()) {
            case SGD -> new Sgd(schedule);
            case NESTEROVS -> new Nesterovs(schedule, config.momentum());
            case ADAM, ADAMW -> new Adam(schedule); // AdamW's decay is a regularization: see NetworkBuilder
            case ADAMAX -> new AdaMax(schedule);
            case NADAM -> new Nadam(schedule);
            case AMSGRAD -> new AMSGrad(schedule);
            case RMSPROP -> new RmsProp(schedule);
            case ADAGRAD -> new AdaGrad(schedule);
            case ADADELTA -> new AdaDelta();
        };
    }

    /** The rate's schedule: the configured kind, times the warm-up and the plateau's scale (1 at the start) if either is on. */
    public static ISchedule schedule(UpdaterConfig config, int epochs) {
        ScheduleConfig s = config.schedule();
        ISchedule base = schedule(config.learningRate(), s, epochs);
        if (s.warmup() == 0 && !config.plateau().enabled()) {
            return base;
        }
        return new WarmupSchedule(base, s.warmup(), s.warmupUnit() == WarmupUnit.ITERATIONS, 1.0);
    }

    /**
     * Gives every layer's updater (inside DL4J's wrappers too: {@code NetworkUtils.setLearningRate} of 1.0.0-M2.1
     * skips any layer that is not a {@code BaseLayer}, so a {@code LastTimeStep} or {@code Bidirectional} layer would
     * keep its old rate) the learning-rate schedule {@code schedule}, then rebuilds the network's updater around
     * the state it had, so Adam's moments survive the change.
     */
    public static void setSchedule(MultiLayerNetwork net, ISchedule schedule) {
        for (BaseLayer layer : baseLayers(net.getLayerWiseConfigurations())) {
            for (IUpdater u : new IUpdater[]{layer.getIUpdater(), layer.getBiasUpdater()}) {
                if (u != null && u.hasLearningRate()) {
                    u.setLrAndSchedule(Double.NaN, schedule.clone());
                }
            }
        }
        INDArray state = net.getUpdater().getStateViewArray();
        INDArray kept = state == null ? null : state.dup();
        net.setUpdater(null);
        if (kept != null) {
            net.getUpdater().setStateViewArray(net, kept, false);
        }
    }

    /**
     * Decoupled weight decay on every layer's weights (not biases): ND4J's {@code WeightDecay} with applyLR, which
     * acts after the updater ({@code ApplyStep.POST_UPDATER}: update = updater(gradient) + lr·λ·w), so it never
     * enters Adam's moments — AdamW. Set per layer rather than through {@code NeuralNetConfiguration.Builder
     * .weightDecay}: in 1.0.0-M2.1 the builder's global value reaches each layer twice, decaying by 2·lr·λ.
     */
    static void weightDecay(MultiLayerConfiguration conf, double coefficient) {
        for (BaseLayer layer : baseLayers(conf)) {
            List<Regularization> regularization = new ArrayList<>(layer.getRegularization() == null ? List.of() : layer.getRegularization());
            regularization.add(new WeightDecay(coefficient, true));
            layer.setRegularization(regularization);
        }
    }

    /** The layers with parameters and an updater, inside DL4J's wrappers ({@code LastTimeStep}, {@code Bidirectional}) too. */
    static List<BaseLayer> baseLayers(MultiLayerConfiguration conf) {
        List<BaseLayer> out = new ArrayList<>();
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            collect(layer.getLayer(), out);
        }
        return out;
    }

    private static void collect(org.deeplearning4j.nn.conf.layers.Layer layer, List<BaseLayer> out) {
        if (layer instanceof Bidirectional b) {
            collect(b.getFwd(), out);
            collect(b.getBwd(), out);
        } else if (layer instanceof BaseWrapperLayer w) {
            collect(w.getUnderlying(), out);
        } else if (layer instanceof BaseLayer base) {
            out.add(base);
        }
    }

    /** e = epochs completed; see {@link io.rnnkit.config.ScheduleKind} for the formulas. */
    static ISchedule schedule(double lr, ScheduleConfig s, int epochs) {
        return switch (s.type()) {
            case CONSTANT -> new StepSchedule(ScheduleType.EPOCH, lr, 1.0, Integer.MAX_VALUE);
            case STEP -> new StepSchedule(ScheduleType.EPOCH, lr, s.decay(), s.step());
            case EXPONENTIAL -> new ExponentialSchedule(ScheduleType.EPOCH, lr, s.decay());
            case INVERSE -> new InverseSchedule(ScheduleType.EPOCH, lr, s.decay(), s.power());
            case POLY -> byEpoch(epochs, e -> lr * Math.pow(1.0 - (double) e / epochs, s.power()));
            case COSINE -> byEpoch(epochs, e -> s.floor() + (lr - s.floor()) * (1 + Math.cos(Math.PI * e / epochs)) / 2);
        };
    }

    /**
     * The rate of epochs e = 0 … epochs − 1 as a table (ND4J's {@code MapSchedule}; later epochs, of a resumed run
     * given more epochs, keep the last). Poly is such a table, not ND4J's {@code PolySchedule}: in 1.0.0-M2.1 it
     * computes lr0 · (1 + e / maxIter)^power, a rate that grows to twice lr0 by the last epoch (then 0), which made
     * Adam diverge late in training on the sequence-to-sequence tasks.
     */
    static ISchedule byEpoch(int epochs, IntToDoubleFunction rate) {
        Map<Integer, Double> table = new HashMap<>();
        for (int e = 0; e < epochs; e++) {
            table.put(e, rate.applyAsDouble(e));
        }
        return new MapSchedule(ScheduleType.EPOCH, table);
    }
}
