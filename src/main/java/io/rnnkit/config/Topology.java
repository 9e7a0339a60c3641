package io.rnnkit.config;

/** The shape of the task: what goes in and what comes out (design.md §3). */
@Doc("The shape of the task: many-to-one (a sequence in, one answer out).")
public enum Topology {
    /** A sequence in, one answer out: the last recurrent layer is wrapped in LastTimeStep before the output layer. */
    MANY_TO_ONE
}
