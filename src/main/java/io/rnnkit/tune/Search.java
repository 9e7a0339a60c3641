package io.rnnkit.tune;

import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.ExecutorConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.Metric;
import io.rnnkit.config.SearchConfig;
import io.rnnkit.data.DatasetLoader;
import org.apache.commons.math3.random.MersenneTwister;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.culling.LeastFitCullOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.EmptyPopulationInitializer;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hyperparameter search (rnnkit tune) on Arbiter: the config's {@code search} section becomes a {@link ConfigSpace},
 * Arbiter's random, grid or genetic generator proposes candidates (seeded by the config's seed, so the same seed gives
 * the same candidates in the same order), its {@link LocalOptimizationRunner} trains {@code parallelism} of them at a
 * time through {@link CandidateTask}, and it stops at {@code maxCandidates} or {@code maxMinutes}. Running the same
 * search into the same directory again resumes it: the generator proposes the same candidates, those already finished
 * are handed back from disk, and the search goes on to its budget.
 */
public final class Search {
    private Search() {
    }

    /** The ranked candidates (best first; those without a score last) and where the best one's run directory is. */
    public record Outcome(Path directory, List<TrialRecord> ranked, TrialRecord best, Metric metric, String scoredOn, double seconds) {
        public Path bestDirectory() {
            return directory.resolve("best");
        }
    }

    public static Outcome run(ConfigSource source, Path out, SearchListener listener, StatusListener... statusListeners) {
        return run(source, out, null, listener, statusListeners);
    }

    /**
     * @param executor where the candidates train, instead of the config's {@code search.executor} (rnnkit tune
     *                 --spark); null: as the config says. It is not part of what a resumed search must match: the
     *                 same search may go on elsewhere
     */
    public static Outcome run(ConfigSource source, Path out, ExecutorConfig executor, SearchListener listener, StatusListener... statusListeners) {
        LoadedConfig loaded = source.load();
        SearchConfig search = searchSection(source, loaded);
        ExecutorConfig on = executor != null ? executor : search.executor();
        if (on != null) {
            io.rnnkit.train.SparkClassPath.require(executor != null ? "--spark" : source.source() + ": search.executor.spark");
        }
        DatasetLoader.load(loaded); // bad data is bad input, found before anything is written
        ConfigSpace space = new ConfigSpace(search);
        MetricScore score = new MetricScore(search.metric(), search.split());
        CandidateGenerator generator = generator(search, space, score, loaded.config().seed());
        int budget = search.maxCandidates();
        if (generator instanceof GridSearchCandidateGenerator grid) {
            budget = Math.min(budget, grid.getTotalNumCandidates());
        }
        try (SearchDirectory directory = SearchDirectory.open(out, source, space.columns())) {
            return search(source, search, on, ConfigData.describe(loaded.config().data()), score, generator, budget, directory, listener,
                    statusListeners);
        }
    }

    /**
     * What {@code rnnkit tune --spark MASTER} runs on: the config's {@code search.executor} with {@code spark} set to
     * {@code master}, bound and checked as that setting in the file would be (defaults filled in, a bad master named
     * by its YAML path).
     */
    public static ExecutorConfig onSpark(ConfigSource source, String master) {
        List<String> overrides = new ArrayList<>(source.overrides());
        overrides.add("search.executor.spark=" + master);
        return searchSection(source, ConfigLoader.parse(source.yaml(), source.source(), overrides)).executor();
    }

    private static SearchConfig searchSection(ConfigSource source, LoadedConfig loaded) {
        if (loaded.config().search() == null) {
            throw new BadInputException(source.source() + ": has no search section; rnnkit tune needs one (see the README, Hyperparameter search)");
        }
        return loaded.config().search();
    }

    private static Outcome search(ConfigSource source, SearchConfig search, ExecutorConfig on, java.util.Properties data, MetricScore score,
                                  CandidateGenerator generator, int budget, SearchDirectory directory, SearchListener listener,
                                  StatusListener... statusListeners) {
        Pruner pruner = search.pruner() == null ? null : new Pruner(search.pruner(), search.metric());
        Tracker tracker = new Tracker(source, directory, search.metric(), budget, listener);
        if (pruner != null) {
            directory.trials().values().forEach(t -> pruner.finished(t.id(), t.curve()));
        }
        tracker.restoreBest();

        List<TerminationCondition> stops = new ArrayList<>(List.of(new MaxCandidatesCondition(budget), new SpaceExhausted(generator)));
        if (search.maxMinutes() > 0) {
            long remaining = Math.max(0, Math.round(search.maxMinutes() * 60_000 - directory.secondsBefore() * 1000));
            stops.add(new MaxTimeCondition(remaining, TimeUnit.MILLISECONDS));
        }
        try (CandidateExecutor executor = on == null ? CandidateExecutor.local(source, directory, score, pruner, listener)
                : SparkExecutor.start(on, source, directory, pruner, listener)) {
            execute(new CandidateTask(executor, directory, pruner, budget, listener, tracker::finished), search.parallelism(), generator, data,
                    score, stops, source, directory, tracker, budget, listener, statusListeners);
        }
        List<TrialRecord> ranked = rank(new ArrayList<>(directory.trials().values()), search.metric());
        TrialRecord best = ranked.isEmpty() || !ranked.get(0).scored() ? null : ranked.get(0);
        return new Outcome(directory.path(), ranked, best, search.metric(), score.toString(), directory.secondsBefore() + tracker.sessionSeconds());
    }

    /** Arbiter's runner: {@code parallelism} candidates in flight, each on a runner thread that trains it or waits for its Spark task. */
    private static void execute(CandidateTask tasks, int parallelism, CandidateGenerator generator, java.util.Properties data, MetricScore score,
                                List<TerminationCondition> stops, ConfigSource source, SearchDirectory directory, Tracker tracker, int budget,
                                SearchListener listener, StatusListener... statusListeners) {
        OptimizationConfiguration configuration = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .dataSource(ConfigData.class, data)
                .scoreFunction(score)
                .modelSaver(tasks.saver())
                .terminationConditions(stops)
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(parallelism, configuration, tasks);
        runner.addListeners(statusListeners);
        Thread onSignal = new Thread(() -> {
            directory.recordTime(source, tracker.sessionSeconds());
            listener.note("search stopped: " + directory.trials().size() + " of " + budget + " candidates are saved in " + directory.path()
                    + "; run the same command again to resume");
        }, "rnnkit-search-on-exit");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            runner.execute();
        } finally {
            Runtime.getRuntime().removeShutdownHook(onSignal);
            directory.recordTime(source, tracker.sessionSeconds());
        }
    }

    /** Best first by the metric's direction, ties by id; candidates without a score after all scored ones. */
    static List<TrialRecord> rank(List<TrialRecord> trials, Metric metric) {
        Comparator<TrialRecord> byScore = Comparator.comparingDouble(t -> metric.higherIsBetter() ? -t.score() : t.score());
        trials.sort(Comparator.comparing((TrialRecord t) -> !t.scored())
                .thenComparing((a, b) -> a.scored() && b.scored() ? byScore.compare(a, b) : 0)
                .thenComparingInt(TrialRecord::id));
        return trials;
    }

    /**
     * Arbiter's generators with every random stream seeded: random search draws from the generator's own generator,
     * grid search runs in its fixed order, and the genetic search's selection, crossover, parent choice and mutation
     * each get a generator seeded from the config's seed (Arbiter's defaults would seed them from the clock).
     */
    static CandidateGenerator generator(SearchConfig search, ConfigSpace space, MetricScore score, long seed) {
        CandidateGenerator generator = switch (search.algorithm()) {
            case RANDOM -> new RandomSearchGenerator(space, null);
            case GRID -> new GridSearchCandidateGenerator(space, search.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential, null);
            case GENETIC -> new GeneticSearchCandidateGenerator.Builder(space, score)
                    .populationModel(new PopulationModel.Builder().populationSize(search.populationSize())
                            .populationInitializer(new EmptyPopulationInitializer()).cullOperator(new LeastFitCullOperator()).build())
                    .selectionOperator(new GeneticSelectionOperator.Builder()
                            .randomGenerator(new MersenneTwister(seed))
                            .crossoverOperator(new SinglePointCrossover.Builder().randomGenerator(new MersenneTwister(seed + 1))
                                    .parentSelection(new RandomTwoParentSelection(new MersenneTwister(seed + 2))).build())
                            .mutationOperator(new RandomMutationOperator.Builder().randomGenerator(new MersenneTwister(seed + 3)).build())
                            .build())
                    .build();
        };
        generator.setRngSeed(seed);
        return generator;
    }

    /** Ends the search when the generator has nothing more to propose (a finished grid) and nothing is training. */
    static final class SpaceExhausted implements TerminationCondition {
        @JsonIgnore
        private final CandidateGenerator generator;

        SpaceExhausted(CandidateGenerator generator) {
            this.generator = generator;
        }

        /** For Arbiter's JSON mapper (its UI reads the search configuration back). */
        private SpaceExhausted() {
            this(null);
        }

        @Override
        public void initialize(IOptimizationRunner runner) {
        }

        @Override
        public boolean terminate(IOptimizationRunner runner) {
            return !generator.hasMoreCandidates() && runner.numCandidatesQueued() == 0;
        }

        @Override
        public String toString() {
            return "SpaceExhausted";
        }
    }

    /** Counts finished candidates, keeps best/ a copy of the best one's run, and tells the listener. */
    private static final class Tracker {
        private final ConfigSource source;
        private final SearchDirectory directory;
        private final Metric metric;
        private final int budget;
        private final SearchListener listener;
        private final long start = System.nanoTime();
        private TrialRecord best;
        private int done;
        private int trainedThisSession;

        Tracker(ConfigSource source, SearchDirectory directory, Metric metric, int budget, SearchListener listener) {
            this.source = source;
            this.directory = directory;
            this.metric = metric;
            this.budget = budget;
            this.listener = listener;
        }

        double sessionSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** After a kill between two files of a copy, best/ is made again from the saved records. */
        synchronized void restoreBest() {
            List<TrialRecord> ranked = rank(new ArrayList<>(directory.trials().values()), metric);
            if (!ranked.isEmpty() && ranked.get(0).scored()) {
                directory.promoteBest(ranked.get(0).id());
            }
        }

        synchronized void finished(TrialRecord record, boolean resumed) {
            done++;
            if (record.scored() && (best == null || metric.better(record.score(), best.score()))) {
                best = record;
                if (!resumed) {
                    directory.promoteBest(record.id());
                }
            }
            if (!resumed) {
                trainedThisSession++;
                directory.recordTime(source, sessionSeconds());
            }
            double elapsed = directory.secondsBefore() + sessionSeconds();
            double eta = trainedThisSession == 0 ? Double.NaN : sessionSeconds() / trainedThisSession * Math.max(0, budget - done);
            listener.finished(record, resumed, new SearchListener.SearchProgress(done, budget, best, elapsed, eta));
        }
    }
}
