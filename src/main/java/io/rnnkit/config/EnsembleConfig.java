package io.rnnkit.config;

@Doc("An ensemble of networks that differ only in their seed: each is trained as a run of its own, and the model answers with"
        + " their combined outputs (class probabilities averaged; values averaged; see the README's \"Ensembles\").")
public record EnsembleConfig(
        @Doc("Networks trained, one after another, on the same data split; member i (from 0) has seed (seed + 1000 i), so member 0"
                + " is the network a run without an ensemble trains. 1: no ensemble.")
        @Default("1") @Range(min = 1, max = EnsembleConfig.MAX_MEMBERS) int members) {

    /** The most members a config may ask for and a bundle may hold (each is a whole network in memory when served). */
    public static final int MAX_MEMBERS = 10;
    /** Member seeds are this far apart, so ensembles of neighbouring seeds (42, 43) share no member but member 0. */
    public static final long SEED_STEP = 1000;

    public EnsembleConfig {
        Constraints.check(EnsembleConfig.class, members);
    }

    public boolean enabled() {
        return members > 1;
    }

    /** Member {@code index}'s seed, derived from the run's {@code seed}. */
    public static long seedOf(long seed, int index) {
        return seed + SEED_STEP * index;
    }
}
