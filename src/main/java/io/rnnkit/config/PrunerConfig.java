package io.rnnkit.config;

import java.util.List;

@Doc("Stopping hopeless candidates early, from the search metric on the validation split after every epoch.")
public record PrunerConfig(
        @Doc("median (median stopping rule) and/or successive-halving; a candidate is stopped when any rule says so.")
        @Default("[median]") @Range(min = 1, max = 2) List<PrunerRule> rules,
        @Doc("No candidate is stopped before this many epochs; also the first rung of successive halving.") @Default("3") @Range(min = 1, max = 100000) int warmupEpochs,
        @Doc("The median rule needs at least this many earlier candidates that reached the same epoch.") @Default("3") @Range(min = 1, max = 100000) int minCandidates,
        @Doc("Successive halving keeps the best 1/reductionFactor at each rung; rungs are at warmupEpochs·reductionFactor^k.") @Default("3") @Range(min = 2, max = 100) int reductionFactor) {
    public PrunerConfig {
        rules = rules == null ? null : List.copyOf(rules);
        Constraints.check(PrunerConfig.class, rules, warmupEpochs, minCandidates, reductionFactor);
        if (rules.stream().distinct().count() != rules.size()) {
            throw new IllegalArgumentException("rules: each rule at most once");
        }
    }
}
