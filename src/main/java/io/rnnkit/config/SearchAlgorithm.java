package io.rnnkit.config;

/** How the search picks its candidates (Arbiter's candidate generators). */
public enum SearchAlgorithm {
    /** Independent draws from each dimension's distribution. */
    RANDOM,
    /** Every combination: each choice, each integer (at most {@code gridPoints} of them), {@code gridPoints} values of a continuous range. */
    GRID,
    /** A genetic algorithm: random candidates until the population is full, then crossover and mutation of the fittest. */
    GENETIC
}
