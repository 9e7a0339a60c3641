package io.rnnkit.tune;

import io.rnnkit.config.ConfigSource;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Where a search's candidates train: in this process, on Arbiter's runner threads ({@link #local}), or as Spark
 * tasks ({@link SparkExecutor}). Either way a candidate is {@link CandidateTask#train}, the ordinary training path,
 * and whatever becomes of it is its {@link TrialRecord}; the search directory, the pruner's bookkeeping, trials.csv
 * and best/ stay with the caller, so they behave the same wherever the candidates train.
 */
interface CandidateExecutor extends AutoCloseable {
    /**
     * @param perIteration DL4J listeners for the candidate's training loop (Arbiter's UI); an executor that trains
     *                     elsewhere leaves them out, as DL4J objects do not travel
     */
    TrialRecord train(int id, CandidateConfig config, TrainingListener... perIteration);

    @Override
    default void close() {
    }

    static CandidateExecutor local(ConfigSource source, SearchDirectory directory, MetricScore score, Pruner pruner, SearchListener listener) {
        return (id, config, perIteration) -> CandidateTask.train(source, config, id, directory.freshCandidateDir(id), score, pruner, listener,
                perIteration);
    }
}
