package io.rnnkit.nn;

import io.rnnkit.config.ScheduleConfig;
import io.rnnkit.config.UpdaterConfig;
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
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.HashMap;
import java.util.Map;

/** The config's updater and learning-rate schedule as ND4J objects; schedules count epochs. */
public final class Updaters {
    private Updaters() {
    }

    public static IUpdater of(UpdaterConfig config, int epochs) {
        ISchedule schedule = schedule(config.learningRate(), config.schedule(), epochs);
        return switch (config.type()) {
            case SGD -> new Sgd(schedule);
            case NESTEROVS -> new Nesterovs(schedule, config.momentum());
            case ADAM -> new Adam(schedule);
            case ADAMAX -> new AdaMax(schedule);
            case NADAM -> new Nadam(schedule);
            case AMSGRAD -> new AMSGrad(schedule);
            case RMSPROP -> new RmsProp(schedule);
            case ADAGRAD -> new AdaGrad(schedule);
            case ADADELTA -> new AdaDelta();
        };
    }

    /** e = epochs completed; see {@link io.rnnkit.config.ScheduleKind} for the formulas. */
    static ISchedule schedule(double lr, ScheduleConfig s, int epochs) {
        return switch (s.type()) {
            case CONSTANT -> new StepSchedule(ScheduleType.EPOCH, lr, 1.0, Integer.MAX_VALUE);
            case STEP -> new StepSchedule(ScheduleType.EPOCH, lr, s.decay(), s.step());
            case EXPONENTIAL -> new ExponentialSchedule(ScheduleType.EPOCH, lr, s.decay());
            case INVERSE -> new InverseSchedule(ScheduleType.EPOCH, lr, s.decay(), s.power());
            case POLY -> poly(lr, s.power(), epochs);
        };
    }

    /**
     * lr0 · (1 − e / epochs)^power for e = 0 … epochs − 1, as a table of epochs. Not ND4J's
     * {@code PolySchedule}: in 1.0.0-M2.1 it computes lr0 · (1 + e / maxIter)^power, a rate that grows to twice
     * lr0 by the last epoch (then 0), which made Adam diverge late in training on the sequence-to-sequence tasks.
     */
    static ISchedule poly(double lr, double power, int epochs) {
        Map<Integer, Double> byEpoch = new HashMap<>();
        for (int e = 0; e < epochs; e++) {
            byEpoch.put(e, lr * Math.pow(1.0 - (double) e / epochs, power));
        }
        return new MapSchedule(ScheduleType.EPOCH, byEpoch);
    }
}
