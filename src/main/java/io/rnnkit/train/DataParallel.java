package io.rnnkit.train;

import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.DistributedConfig;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.EpochIterator;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.StreamedSplit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Data-parallel training of one network on Spark ({@code training.distributed}), by parameter averaging on plain
 * Spark (docs/architecture.md says why not dl4j-spark's TrainingMaster). The driver keeps the network of record and
 * runs everything else of {@link Trainer}'s loop (validation, early stopping, checkpoints); only the pass over an
 * epoch's minibatches is spread: epoch k's seeded minibatches (the order a local run would take) are dealt to the
 * workers in turn, minibatch j to worker j mod N. In each round every worker, a Spark task, takes the driver's
 * parameters and updater state (a broadcast), trains its next {@code averagingFrequency} minibatches with the
 * ordinary network and sends back its parameters, updater state and losses; the driver averages them. A worker reads
 * the data files itself, through the config, once per run and JVM (the split and the normaliser are seeded from the
 * whole file, so every worker and the driver see the same training split); no data crosses Spark. Streamed data
 * ({@code data.streaming}) is read from the cache the driver built, each worker reading only its own minibatches from the
 * mapped files when it trains them, so a worker's heap holds a minibatch rather than the data: on a cluster that cache
 * folder ({@code data.streaming.cacheDir}) must be on storage every executor sees at the same path, and an executor that
 * cannot open it fails the run saying so. A round's task starts from the broadcast state, so Spark may run it again
 * after a failure.
 */
final class DataParallel implements AutoCloseable {
    /** Attempts at a round's task before the run fails (a task only reads the broadcast, so another attempt is safe). */
    private static final int ATTEMPTS = 4;

    private final JavaSparkContext spark;
    private final DistributedConfig distributed;
    private final String yaml;
    /** The streaming cache's folder for streamed data, else null. */
    private final String cache;
    private final String run = UUID.randomUUID().toString();
    private final int batchesPerEpoch;

    private DataParallel(JavaSparkContext spark, DistributedConfig distributed, String yaml, String cache, int batchesPerEpoch) {
        this.spark = spark;
        this.distributed = distributed;
        this.yaml = yaml;
        this.cache = cache;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    static DataParallel start(ExperimentConfig config, PreparedData data, int batchesPerEpoch, TrainingProgress progress) {
        // the driver built (or found) the cache when it loaded the data: the workers open the same folder
        String cache = data.streamed() ? StreamedSplit.folder(config).toAbsolutePath().toString() : null;
        DistributedConfig d = config.training().distributed();
        JavaSparkContext spark = SparkContexts.start(d.spark(), "rnnkit train " + config.name(), d.ui(), "training.distributed.ui", ATTEMPTS);
        progress.note(SparkContexts.describe(spark));
        int shard = (batchesPerEpoch + d.workers() - 1) / d.workers();
        progress.note("data-parallel (experimental): " + d.workers() + (d.workers() == 1 ? " worker, " : " workers, ") + batchesPerEpoch + " minibatches an epoch, averaged after every "
                + d.averagingFrequency() + " each (" + (shard + d.averagingFrequency() - 1) / d.averagingFrequency() + " rounds an epoch)"
                + (batchesPerEpoch < d.workers() ? "; only " + batchesPerEpoch + " of the workers have a minibatch" : "")
                + (cache == null ? "" : "; the workers read the streaming cache " + cache));
        return new DataParallel(spark, d, YamlTrees.toYaml(config), cache, batchesPerEpoch);
    }

    /** One epoch on the workers: rounds of averagingFrequency minibatches each, the driver's network averaged after each round. */
    void fitEpoch(MultiLayerNetwork net, int epoch, Trainer.LossCollector losses) {
        int workers = Math.min(distributed.workers(), batchesPerEpoch);
        int k = distributed.averagingFrequency();
        int rounds = ((batchesPerEpoch + workers - 1) / workers + k - 1) / k;
        List<Integer> partitions = IntStream.range(0, workers).boxed().toList();
        for (int round = 0; round < rounds; round++) {
            INDArray params = net.params();
            INDArray updater = net.getUpdater().getStateViewArray();
            Broadcast<State> state = spark.broadcast(new State(params.toFloatVector(), updater == null ? new float[0] : updater.toFloatVector()));
            spark.setJobDescription("rnnkit epoch " + (epoch + 1) + ", round " + (round + 1) + " of " + rounds);
            List<Result> results;
            try {
                results = spark.parallelize(partitions, workers)
                        .map(new Round(yaml, cache, run, state, epoch, round, k, workers, net.getIterationCount()))
                        .collect();
            } catch (Exception e) { // Spark's own exception is checked, though undeclared: rethrown as it is unless it is the data's
                io.rnnkit.data.DataException unread = workersData(e);
                if (unread != null) {
                    throw unread;
                }
                throw e;
            } finally {
                state.destroy();
            }
            average(net, params, updater, results, losses);
        }
        net.incrementEpochCount();
    }

    /**
     * A worker's failure to read its data (a cache folder an executor does not see), which Spark reports inside its own
     * exception, as that {@link io.rnnkit.data.DataException}: one line saying what to do rather than Spark's stack traces;
     * null for any other failure.
     */
    static io.rnnkit.data.DataException workersData(Exception e) {
        String marker = io.rnnkit.data.DataException.class.getName() + ": ";
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(marker);
        if (at < 0) {
            return null;
        }
        return new io.rnnkit.data.DataException(message.substring(at + marker.length()).lines().findFirst().orElse(""), e);
    }

    /** The mean of the parameters and updater states of the workers that trained in this round, into the driver's network. */
    private static void average(MultiLayerNetwork net, INDArray params, INDArray updater, List<Result> results, Trainer.LossCollector losses) {
        List<Result> trained = results.stream().filter(r -> r.losses().length > 0).toList();
        params.assign(mean(trained.stream().map(Result::params).toList()).reshape(params.shape()));
        if (updater != null) {
            updater.assign(mean(trained.stream().map(Result::updater).toList()).reshape(updater.shape()));
        }
        int iteration = net.getIterationCount();
        int steps = 0;
        // losses in the order a local epoch would see them: minibatch j of the round on worker w is the epoch's (j * N + w)
        for (int j = 0; j < trained.stream().mapToInt(r -> r.losses().length).max().orElse(0); j++) {
            for (Result r : results) {
                if (j < r.losses().length) {
                    losses.record(r.losses()[j], r.sizes()[j], iteration + j);
                }
            }
            steps = j + 1;
        }
        for (Result r : trained) {
            losses.addGradients(r.gradientSums(), r.losses().length);
        }
        net.setIterationCount(iteration + steps);
    }

    private static INDArray mean(List<float[]> arrays) {
        double[] sum = new double[arrays.get(0).length];
        for (float[] a : arrays) {
            for (int i = 0; i < a.length; i++) {
                sum[i] += a[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / arrays.size());
        }
        return Nd4j.createFromArray(mean);
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** What the driver broadcasts each round. */
    record State(float[] params, float[] updater) implements Serializable {
    }

    /** What a worker sends back: its parameters and updater state after the round, and each minibatch's loss, size and gradient norms. */
    record Result(float[] params, float[] updater, double[] losses, long[] sizes, Map<String, Double> gradientSums) implements Serializable {
    }

    /** A worker's round: the Spark function over the partition numbers 0..N-1. */
    static final class Round implements Function<Integer, Result> {
        private static final long serialVersionUID = 1L;
        private final String yaml;
        private final String cache;
        private final String run;
        private final Broadcast<State> state;
        private final int epoch;
        private final int round;
        private final int k;
        private final int workers;
        private final int iteration;

        Round(String yaml, String cache, String run, Broadcast<State> state, int epoch, int round, int k, int workers, int iteration) {
            this.yaml = yaml;
            this.cache = cache;
            this.run = run;
            this.state = state;
            this.epoch = epoch;
            this.round = round;
            this.k = k;
            this.workers = workers;
            this.iteration = iteration;
        }

        @Override
        public Result call(Integer partition) {
            Worker worker = Worker.of(yaml, cache, run, partition);
            synchronized (worker) {
                return worker.train(state.value(), epoch, round, k, workers, partition, iteration);
            }
        }
    }

    /** A worker's data and network, kept in its JVM between rounds of one run (only the latest run's). */
    static final class Worker {
        private static final Map<String, Worker> CACHE = new ConcurrentHashMap<>();
        private final ExperimentConfig config;
        private final MultiLayerNetwork net;
        private final EpochIterator batches;
        private final List<double[]> scores = new ArrayList<>();
        private Trainer.LossCollector losses;
        /** The epoch {@code batches} is in, and how many of its minibatches it has passed. */
        private int batchesEpoch = -1;
        private int passed;

        private Worker(String yaml, String cache) {
            LoadedConfig loaded = ConfigLoader.parse(yaml, "training.distributed (worker)", List.of());
            config = loaded.config();
            PreparedData data = cache == null ? PreparedData.of(DatasetLoader.load(loaded), config)
                    : ExperimentRunner.prepared(config, open(loaded, cache));
            Trainer.useThreads(config);
            net = Trainer.network(config, data);
            batches = Trainer.batches(config, data);
            losses = new Trainer.LossCollector(new TrainingProgress() {
                @Override
                public void batch(int epoch, int done, int all, double loss, long sequences) {
                    scores.add(new double[] {loss, sequences});
                }
            }, batches.batchesPerEpoch());
            net.setListeners(losses);
        }

        /**
         * The splits over the cache the driver built (of sequences or of a series), which an executor of a cluster sees only
         * when its folder is on shared storage.
         */
        static io.rnnkit.data.SplitData open(LoadedConfig loaded, String cache) {
            io.rnnkit.data.SplitData opened = StreamedSplit.reopen(loaded.config(), loaded.locations(), java.nio.file.Path.of(cache));
            if (opened == null) {
                String host;
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException e) {
                    host = "unknown host";
                }
                throw new io.rnnkit.data.DataException("training.distributed: the executor on " + host + " cannot open the streaming cache "
                        + cache + " that the driver built; on a cluster, data.streaming.cacheDir must be a folder on storage every executor"
                        + " sees at the same path (a shared file system), or set data.streaming.enabled: never to have each worker read the data whole");
            }
            return opened;
        }

        static Worker of(String yaml, String cache, String run, int partition) {
            String key = run + "/" + partition;
            // a JVM keeps only the current run's workers: a finished run's networks and data go
            CACHE.keySet().removeIf(other -> !other.startsWith(run + "/"));
            return CACHE.computeIfAbsent(key, x -> new Worker(yaml, cache));
        }

        /**
         * Minibatch {@code j} of the epoch in the local order, read now: the minibatches before it are passed without being
         * read, and a task run again after a failure goes back to the epoch's start.
         */
        private DataSet minibatch(int epochIndex, int j) {
            if (batchesEpoch != epochIndex || passed > j) {
                batches.startEpoch(epochIndex);
                batchesEpoch = epochIndex;
                passed = 0;
            }
            for (; passed < j; passed++) {
                batches.skip();
            }
            passed++;
            return batches.next();
        }

        Result train(State state, int epoch, int round, int k, int workers, int partition, int iteration) {
            // this worker's minibatches of the epoch: the local order's j-th for j mod N = partition
            int mine = (batches.batchesPerEpoch() - partition + workers - 1) / workers;
            net.params().assign(Nd4j.createFromArray(state.params()).reshape(net.params().shape()));
            INDArray updater = net.getUpdater().getStateViewArray();
            if (updater != null) {
                updater.assign(Nd4j.createFromArray(state.updater()).reshape(updater.shape()));
            }
            net.setIterationCount(iteration);
            net.setEpochCount(epoch);
            Nd4j.getRandom().setSeed(config.seed() * 1_000_033L + epoch * 7_919L + round * 104_729L + partition);
            scores.clear();
            losses.startEpoch(epoch + 1);
            try {
                for (int i = round * k; i < Math.min((round + 1) * k, mine); i++) {
                    net.fit(minibatch(epoch, i * workers + partition));
                }
            } catch (TrainingDivergedException e) {
                // the driver's loss record refuses the NaN and says where, as in a local run; Spark must not retry it
                scores.add(new double[] {Double.NaN, scores.isEmpty() ? 0 : scores.get(scores.size() - 1)[1]});
            }
            double[] loss = new double[scores.size()];
            long[] sizes = new long[scores.size()];
            long before = 0;
            for (int i = 0; i < loss.length; i++) {
                loss[i] = scores.get(i)[0];
                sizes[i] = (long) scores.get(i)[1] - before;
                before = (long) scores.get(i)[1];
            }
            return new Result(net.params().toFloatVector(), updater == null ? new float[0] : updater.toFloatVector(), loss, sizes,
                    losses.gradientSums());
        }
    }
}
