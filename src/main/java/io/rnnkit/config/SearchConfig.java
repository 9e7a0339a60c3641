package io.rnnkit.config;

import java.util.List;

@Doc("Hyperparameter search (rnnkit tune): which fields of this config vary, how candidates are chosen and scored, and the budget.")
public record SearchConfig(
        @Doc("random, grid or genetic (Arbiter's candidate generators).") @Default("random") SearchAlgorithm algorithm,
        @Doc("Metric that scores a candidate; maximised or minimised as the metric demands.") @Default("loss") Metric metric,
        @Doc("Split the metric is taken on: validation (the honest choice), train or test. With training.crossValidation,"
                + " validation means the mean over the folds at the epoch they chose.") @Default("validation") SplitName split,
        @Doc("Stop after this many candidates (finished or failed).") @Default("20") @Range(min = 1, max = 100000) int maxCandidates,
        @Doc("Stop starting candidates after this many minutes of search; 0 for no time limit.") @Default("0") @Range(min = 0) double maxMinutes,
        @Doc("Candidates trained at once (Arbiter's runner threads); each takes a share of the cores. On Spark: the candidates in flight, at most the cluster's task slots (N for local[N]).") @Default("1") @Range(min = 1, max = 64) int parallelism,
        @Doc("Grid search: values tried for each continuous range (and at most this many of an integer range).") @Default("3") @Range(min = 2, max = 1000) int gridPoints,
        @Doc("Genetic search: candidates drawn at random before breeding starts, and the population kept.") @Default("10") @Range(min = 2, max = 10000) int populationSize,
        @Doc("Stop hopeless candidates early; absent: every candidate trains its full epochs.") @Optional PrunerConfig pruner,
        @Doc("The searched fields.") @Range(min = 1, max = 1000) List<SearchDimension> space,
        @Doc("Train the candidates as Spark tasks; absent: in this process, parallelism at a time.") @Optional ExecutorConfig executor) {
    public SearchConfig {
        space = space == null ? null : List.copyOf(space);
        Constraints.check(SearchConfig.class, algorithm, metric, split, maxCandidates, maxMinutes, parallelism, gridPoints, populationSize, pruner, space, executor);
    }
}
