package io.rnnkit.config;

/** A rule that stops a hopeless search candidate early, from its per-epoch validation metric. */
public enum PrunerRule {
    /** Stop when the candidate's best value so far is worse than the median of earlier candidates' at the same epoch. */
    MEDIAN,
    /** Asynchronous successive halving: at epochs w, w·η, w·η², … keep only the best 1/η of the candidates seen there. */
    SUCCESSIVE_HALVING
}
