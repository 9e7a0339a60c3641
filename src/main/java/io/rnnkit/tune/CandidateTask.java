package io.rnnkit.tune;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.train.EpochRecord;
import io.rnnkit.train.ExperimentRunner;
import io.rnnkit.train.TrainingDivergedException;
import io.rnnkit.train.TrainingProgress;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Arbiter's task creator: a candidate is trained by {@link ExperimentRunner#run}, the one training code path,
 * into {@code candidates/NNNN/}, in this process or as a Spark task ({@link CandidateExecutor}). Whatever becomes
 * of it — scored, pruned, diverged, out of memory, an invalid combination, an exception — is a {@link TrialRecord}
 * saved at once; the search goes on. A candidate an earlier
 * session finished is not trained again: its saved record is handed back to Arbiter as its result.
 */
final class CandidateTask implements TaskCreator {
    private final CandidateExecutor executor;
    private final SearchDirectory directory;
    private final Pruner pruner;
    private final TrialSaver saver;
    private final int budget;
    private final SearchListener listener;
    /** Told of every ended candidate; true for one read back from an earlier session. */
    private final BiConsumer<TrialRecord, Boolean> onFinished;

    /** @param executor trains the candidates this search has not finished yet, here or elsewhere */
    CandidateTask(CandidateExecutor executor, SearchDirectory directory, Pruner pruner, int budget, SearchListener listener,
                  BiConsumer<TrialRecord, Boolean> onFinished) {
        this.executor = executor;
        this.directory = directory;
        this.pruner = pruner;
        this.saver = new TrialSaver(directory);
        this.budget = budget;
        this.listener = listener;
        this.onFinished = onFinished;
    }

    TrialSaver saver() {
        return saver;
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> run(candidate, statusListeners, runner);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource, Properties dataSourceProperties,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> run(candidate, statusListeners, runner);
    }

    private OptimizationResult run(Candidate candidate, List<StatusListener> statusListeners, IOptimizationRunner runner) {
        int id = candidate.getIndex();
        CandidateConfig config = (CandidateConfig) candidate.getValue();
        long created = System.currentTimeMillis();
        TrialRecord stored = directory.trial(id);
        if (stored != null) {
            if (!stored.values().equals(config.values())) {
                throw new IllegalStateException("candidate " + id + " was " + stored.values() + " in the earlier session but is now "
                        + config.values() + ": the candidate generator is not reproducible");
            }
            onFinished.accept(stored, true);
            return result(candidate, stored, created, created);
        }
        if (id >= budget) {
            // Arbiter starts the next candidates before it sees that the budget is spent; they are not trained
            CandidateInfo info = new CandidateInfo(id, CandidateStatus.Cancelled, null, created, created, created, candidate.getFlatParameters(), null);
            return new OptimizationResult(candidate, null, id, null, info, null);
        }
        CandidateInfo running = new CandidateInfo(id, CandidateStatus.Running, null, created, created, null, candidate.getFlatParameters(), null);
        statusListeners.forEach(l -> l.onCandidateStatusChange(running, runner, null));
        listener.started(id, config);
        // Arbiter's UI plots each candidate's score per iteration from these calls (on Spark they stay on the executor)
        TrainingListener[] perIteration = statusListeners.isEmpty() ? new TrainingListener[0] : new TrainingListener[]{new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                statusListeners.forEach(l -> l.onCandidateIteration(running, model, iteration));
            }
        }};
        TrialRecord record = executor.train(id, config, perIteration);
        if (pruner != null) {
            pruner.finished(id, record.curve());
        }
        OptimizationResult result = result(candidate, record, created, System.currentTimeMillis());
        result.setResultReference(saver.saveModel(result, record));
        onFinished.accept(record, false);
        statusListeners.forEach(l -> l.onCandidateStatusChange(result.getCandidateInfo(), runner, result));
        return result;
    }

    /**
     * Trains one candidate through {@link ExperimentRunner#run} into {@code runDir}: the same code path in this
     * process and in a Spark task. Whatever becomes of it is the record; only an error outside the candidate's
     * training (such as a file system that fails) is thrown.
     *
     * @param pruner null, or the pruner asked after each epoch
     */
    static TrialRecord train(ConfigSource source, CandidateConfig config, int id, Path runDir, MetricScore score, Pruner pruner,
                             SearchListener listener, TrainingListener... perIteration) {
        long start = System.nanoTime();
        List<Double> curve = Collections.synchronizedList(new ArrayList<>());
        boolean[] pruned = {false};
        String metric = YamlNames.of(score.metric());
        TrainingProgress progress = new TrainingProgress() {
            @Override
            public void epoch(EpochRecord record, int epochs) {
                Double value = record.validation().get(metric);
                if (value != null) {
                    curve.add(value);
                }
                listener.epoch(id, record, epochs);
            }

            @Override
            public boolean stopAfter(EpochRecord record) {
                pruned[0] = pruner != null && pruner.shouldStop(id, List.copyOf(curve));
                return pruned[0];
            }
        };
        try {
            LoadedConfig loaded = source.candidate(config.settings());
            ExperimentRunner.RunResult run = ExperimentRunner.run(loaded, runDir, progress, perIteration);
            return new TrialRecord(id, config.values(), pruned[0] ? "pruned" : "completed", score.of(run),
                    run.training().history().size(), seconds(start), curve, null);
        } catch (OutOfMemoryError e) {
            return failed(id, config, "out-of-memory", e, start, curve);
        } catch (TrainingDivergedException e) {
            return failed(id, config, "diverged", e, start, curve);
        } catch (BadInputException e) {
            return failed(id, config, "invalid", e, start, curve);
        } catch (RuntimeException e) {
            return failed(id, config, outOfMemory(e) ? "out-of-memory" : "failed", e, start, curve);
        }
    }

    static TrialRecord failed(int id, CandidateConfig config, String status, Throwable e, long start, List<Double> curve) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (status.equals("failed")) {
            reason = e.getClass().getSimpleName() + ": " + reason;
        }
        return new TrialRecord(id, config.values(), status, null, curve.size(), seconds(start), curve, reason);
    }

    /** ND4J reports exhausted native memory as a runtime exception; its message or a cause says so. */
    static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (t instanceof OutOfMemoryError || m.contains("out of memory") || m.contains("cannot allocate") || m.contains("failed to allocate")) {
                return true;
            }
        }
        return false;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static OptimizationResult result(Candidate candidate, TrialRecord record, long created, long ended) {
        boolean ok = record.scored();
        CandidateInfo info = new CandidateInfo(record.id(), ok ? CandidateStatus.Complete : CandidateStatus.Failed, ok ? record.score() : null,
                created, created, ended, candidate.getFlatParameters(), ok ? null : record.status() + ": " + record.reason());
        return new OptimizationResult(candidate, ok ? record.score() : null, record.id(), null, info, null);
    }
}
