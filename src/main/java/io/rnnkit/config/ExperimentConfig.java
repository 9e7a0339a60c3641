package io.rnnkit.config;

/**
 * One experiment, as written in its YAML file: the single source of truth for everything downstream
 * (nothing after {@link ConfigLoader} reads YAML again).
 */
@Doc("An rnnkit experiment: a recurrent network, its data, and how it is trained.")
public record ExperimentConfig(
        @Doc("Name of the experiment; used for the run directory.") @Pattern(value = "[A-Za-z0-9][A-Za-z0-9._-]*", hint = "letters, digits, '.', '_' or '-'") String name,
        @Doc("Free text for people.") @Optional String description,
        @Doc("Seed for weights, splits, shuffling and generated data: the same seed gives the same run.") @Default("42") long seed,
        @Doc("Topology and kind of task.") @Default("{}") TaskConfig task,
        @Doc("The data.") DataConfig data,
        @Doc("The network.") ModelConfig model,
        @Doc("Training.") @Default("{}") TrainingConfig training,
        @Doc("Output.") @Default("{}") OutputConfig output,
        @Doc("Evaluation beyond each split's metrics: a forecaster's backtest.") @Default("{}") EvaluationConfig evaluation,
        @Doc("Hyperparameter search over this config (rnnkit tune); ignored by rnnkit train.") @Optional SearchConfig search) {
    public ExperimentConfig {
        Constraints.check(ExperimentConfig.class, name, description, seed, task, data, model, training, output, evaluation, search);
    }

    /**
     * Member {@code index} of this config's ensemble: the same config with the member's seed, training one network; without
     * a backtest, which the ensemble runs on its members combined.
     */
    public ExperimentConfig ensembleMember(int index) {
        return new ExperimentConfig(name, description, EnsembleConfig.seedOf(seed, index), task, data, model, training.oneNetwork(), output,
                new EvaluationConfig(null), search);
    }
}
