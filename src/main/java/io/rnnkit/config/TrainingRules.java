package io.rnnkit.config;

import java.util.List;

/**
 * The cross-field rules of the options that steady training (issue 22): schedule, warm-up, weight decay,
 * reduce-on-plateau, weight averaging and layer normalization. Part of {@link ConfigRules}.
 */
final class TrainingRules {
    private TrainingRules() {
    }

    static void check(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        TrainingConfig t = c.training();
        UpdaterConfig u = t.updater();
        ScheduleConfig s = u.schedule();
        if (s.floor() > 0 && s.type() != ScheduleKind.COSINE) {
            out.add(where.problem("training.updater.schedule.floor", "applies to type: cosine only"));
        }
        if (s.type() == ScheduleKind.COSINE && s.floor() >= u.learningRate()) {
            out.add(where.problem("training.updater.schedule.floor", "must be below training.updater.learningRate ("
                    + u.learningRate() + ") for the rate to decay to it, got " + s.floor()));
        }
        if (s.warmupUnit() == WarmupUnit.EPOCHS && s.warmup() >= t.epochs()) {
            out.add(where.problem("training.updater.schedule.warmup", s.warmup() + " epochs of warm-up leave none of the "
                    + t.epochs() + " training epochs at the full rate; use fewer, or warmupUnit: iterations"));
        }
        boolean noRate = u.type() == UpdaterKind.ADADELTA;
        if (noRate && (s.type() != ScheduleKind.CONSTANT || s.warmup() > 0 || u.plateau().enabled())) {
            out.add(where.problem("training.updater.type", "adadelta has no learning rate to schedule, warm up or reduce;"
                    + " use another updater or remove the schedule and plateau"));
        }
        if (u.type() == UpdaterKind.ADAMW && u.weightDecay() == 0) {
            out.add(where.problem("training.updater.weightDecay", "adamw is adam with decoupled weight decay; give weightDecay > 0"
                    + " (0.01 is common) or use type: adam"));
        }
        if (u.weightDecay() > 0 && c.model().l2() > 0) {
            out.add(where.problem("training.updater.weightDecay", "and model.l2 both shrink the weights; use one (DL4J would drop the L2)"));
        }
        if (noRate && u.weightDecay() > 0) {
            out.add(where.problem("training.updater.weightDecay", "is scaled by the learning rate, which adadelta has not; use another updater"));
        }
        PlateauConfig p = u.plateau();
        if (p.enabled() && c.data().split().validation() == 0) {
            out.add(where.problem("training.updater.plateau.patience", "reduce-on-plateau watches the validation metric,"
                    + " but data.split.validation is 0"));
        }
        if (p.enabled() && p.minLearningRate() >= u.learningRate()) {
            out.add(where.problem("training.updater.plateau.minLearningRate", "must be below training.updater.learningRate ("
                    + u.learningRate() + "), got " + p.minLearningRate()));
        }
        WeightAveragingConfig averaging = t.weightAveraging();
        if (averaging.lastEpochs() > t.epochs()) {
            out.add(where.problem("training.weightAveraging.lastEpochs", "averages " + averaging.lastEpochs() + " epochs of "
                    + t.epochs() + "; at most training.epochs"));
        }
        if (averaging.enabled() && (t.earlyStopping().patience() > 0 || t.earlyStopping().restoreBest())) {
            out.add(where.problem("training.weightAveraging.lastEpochs", "the average of the last epochs takes the best epoch's place;"
                    + " set training.earlyStopping: {patience: 0, restoreBest: false}"));
        }
        distributed(c, where, out);
        for (int i = 0; i < c.model().layers().size(); i++) {
            LayerConfig layer = c.model().layers().get(i);
            if (!layer.layerNorm()) {
                continue;
            }
            if (layer.type() == CellType.SIMPLE_RNN) {
                out.add(where.problem("model.layers[" + i + "].layerNorm", "applies to lstm and gru layers"));
            } else if (layer.effectiveImplementation() == Implementation.DL4J) {
                out.add(where.problem("model.layers[" + i + "].layerNorm", "is rnnkit's; DL4J's layers have none"
                        + " (remove implementation: dl4j)"));
            }
        }
    }

    /** What data-parallel training cannot do: the driver changes nothing of the workers' networks but their parameters and updater state. */
    private static void distributed(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        if (c.training().distributed() == null) {
            return;
        }
        if (c.search() != null) {
            out.add(where.problem("training.distributed", "a search trains each candidate in one place (in this process, or as one Spark"
                    + " task with search.executor); remove training.distributed from a search's config"));
        }
        if (c.training().updater().plateau().enabled()) {
            out.add(where.problem("training.updater.plateau", "is not available with training.distributed: the workers would keep the"
                    + " rate the driver lowered; remove the plateau or train in this process"));
        }
    }
}
