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
        crossValidation(c, where, out);
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

    /** Folds of sequences that are not independent, or options that need a validation split the final fit has not. */
    private static void crossValidation(ExperimentConfig c, ConfigLocations where, List<Problem> out) {
        TrainingConfig t = c.training();
        int folds = t.crossValidation().folds();
        if (folds == 0) {
            return;
        }
        String at = "training.crossValidation.folds";
        if (folds == 1) {
            out.add(where.problem(at, "1 fold validates on the data it trains on; give 0 (off) or at least 2 (5 is common)"));
        }
        if (c.data().format() == DataFormat.SERIES) {
            // rnnkit refuses rather than cut expanding-window folds: a series' epoch is chosen on its chronological validation part
            out.add(where.problem(at, "folds of windows cut from one series would train on the future of what they validate on;"
                    + " a series chooses its epoch on the validation part that follows its training part (remove training.crossValidation)"));
        }
        if (c.data().format() == DataFormat.TEXT && c.data().text().mode() == TextMode.STREAM) {
            out.add(where.problem(at, "folds of consecutive chunks of one text stream are not independent; use data.split.validation"));
        }
        if (t.weightAveraging().enabled()) {
            out.add(where.problem(at, "chooses the epoch count, while training.weightAveraging averages the last epochs of a fixed"
                    + " count; use one"));
        }
        if (t.ensemble().enabled()) {
            out.add(where.problem(at, "chooses one network's epoch count, while training.ensemble trains "
                    + t.ensemble().members() + " networks of other seeds with the early stopping of each; use one"));
        }
        if (t.updater().plateau().enabled()) {
            out.add(where.problem(at, "ends with a fit on all the training data, which has no validation split for"
                    + " training.updater.plateau to watch; remove the plateau"));
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
        for (String other : new String[] {c.training().ensemble().enabled() ? "training.ensemble" : null,
                c.training().crossValidation().enabled() ? "training.crossValidation" : null}) {
            if (other != null) { // each trains several networks in turn; data-parallel training is one network's, and experimental
                out.add(where.problem("training.distributed", "trains one network data-parallel; " + other
                        + " trains several in turn, which is not available with it; remove one"));
            }
        }
        if (c.training().updater().plateau().enabled()) {
            out.add(where.problem("training.updater.plateau", "is not available with training.distributed: the workers would keep the"
                    + " rate the driver lowered; remove the plateau or train in this process"));
        }
    }
}
