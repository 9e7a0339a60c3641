package io.rnnkit.tune;

import io.rnnkit.train.TrainingUi;
import org.deeplearning4j.arbiter.ui.listener.ArbiterStatusListener;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Arbiter's own UI page for a search ({@code tune --ui}): {@code arbiter-ui}'s status listener posts the search and
 * every candidate (status, score, score per iteration) to the stats storage of rnnkit's Deeplearning4j UI server,
 * where arbiter-ui's module (found by the server's service loader) renders them at {@code /arbiter}. The server is
 * {@link TrainingUi}'s, so it listens on loopback unless told otherwise.
 */
public final class SearchUi implements AutoCloseable {
    private final TrainingUi ui;
    private final StatusListener listener;

    private SearchUi(TrainingUi ui) {
        this.ui = ui;
        this.listener = new WithoutFlatParameters(new ArbiterStatusListener(ui.storage()));
    }

    public static SearchUi start(String host, int port) {
        return new SearchUi(TrainingUi.start(host, port));
    }

    /** Give it to {@link Search#run}. */
    public StatusListener listener() {
        return listener;
    }

    public String address() {
        return ui.address("/arbiter");
    }

    @Override
    public void close() {
        ui.close();
    }

    /**
     * Hands candidates to Arbiter's listener without their flat parameter vector: arbiter-ui's candidate page casts
     * the search space to arbiter-deeplearning4j's {@code BaseNetworkSpace} whenever a candidate has one (a
     * ClassCastException, HTTP 500, for any other space). Without it the page shows the candidate's status, score,
     * score per iteration and network configuration; its values are in trials.csv and the progress lines.
     */
    private record WithoutFlatParameters(StatusListener delegate) implements StatusListener {
        private static CandidateInfo strip(CandidateInfo i) {
            return i == null ? null : new CandidateInfo(i.getIndex(), i.getCandidateStatus(), i.getScore(), i.getCreatedTime(), i.getStartTime(),
                    i.getEndTime(), null, i.getExceptionStackTrace());
        }

        @Override
        public void onInitialization(IOptimizationRunner runner) {
            delegate.onInitialization(runner);
        }

        @Override
        public void onShutdown(IOptimizationRunner runner) {
            delegate.onShutdown(runner);
        }

        @Override
        public void onRunnerStatusChange(IOptimizationRunner runner) {
            delegate.onRunnerStatusChange(runner);
        }

        @Override
        public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner runner, OptimizationResult result) {
            OptimizationResult stripped = result == null ? null : new OptimizationResult(result.getCandidate(), result.getScore(), result.getIndex(),
                    result.getModelSpecificResults(), strip(result.getCandidateInfo()), result.getResultReference());
            delegate.onCandidateStatusChange(strip(info), runner, stripped);
        }

        @Override
        public void onCandidateIteration(CandidateInfo info, Object model, int iteration) {
            delegate.onCandidateIteration(strip(info), model, iteration);
        }
    }
}
