package io.rnnkit.config;

/** When the updater's state (Adam's moments, RMSProp's averages, momentum) goes back to zero during training. */
public enum UpdaterRestart {
    /**
     * After every epoch's validation pass (none without a validation split): rnnkit's behaviour before this option
     * existed, with which every shipped figure was measured. Each epoch's first steps are large, like a warm restart.
     */
    EVERY_EPOCH,
    /** Never: the state carries over from epoch to epoch, as in a textbook Adam. */
    NEVER
}
