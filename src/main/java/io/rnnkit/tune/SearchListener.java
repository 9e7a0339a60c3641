package io.rnnkit.tune;

import io.rnnkit.train.EpochRecord;

/** What a caller hears while a search runs; the command line prints it. Called from the candidates' threads. */
public interface SearchListener {
    SearchListener SILENT = new SearchListener() {
    };

    default void started(int candidate, CandidateConfig config) {
    }

    default void epoch(int candidate, EpochRecord record, int epochs) {
    }

    /** A candidate ended (or was read back from an earlier session, {@code resumed}); {@code progress} counts it. */
    default void finished(TrialRecord record, boolean resumed, SearchProgress progress) {
    }

    default void note(String message) {
    }

    /**
     * Where the search stands: candidates ended out of the budget, the best so far, search time (earlier
     * sessions included) and the time the remaining candidates should take at this session's pace.
     */
    record SearchProgress(int done, int budget, TrialRecord best, double elapsedSeconds, double etaSeconds) {
    }
}
