package io.rnnkit.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.ExecutorConfig;
import io.rnnkit.config.SearchConfig;
import io.rnnkit.config.SearchSetting;
import io.rnnkit.train.SparkContexts;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.deeplearning4j.optimize.api.TrainingListener;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A search's candidates as Spark tasks ({@code search.executor}, {@code rnnkit tune --spark MASTER}). Each of
 * Arbiter's runner threads submits a one-task job for its candidate and waits for it, so {@code search.parallelism}
 * is the number of candidates in flight, and everything else stays on the driver as in a local search: Arbiter's
 * generator (same seed, same order), the pruner's bookkeeping, the directory lock, resume, trials/, trials.csv and
 * best/. Only text crosses Spark's serialization: the task is JSON (the config's YAML and overrides, the candidate's
 * settings, where to write, the curves of the candidates finished so far for the pruner) and its answer is the
 * candidate's {@link TrialRecord} as JSON; the function itself holds nothing. The executor reads the data through
 * the config, as a local run does, and trains with {@link CandidateTask#train} into a local folder that it then
 * publishes whole as {@code ROOT/NNNN} (copied beside it, then renamed), where ROOT is the search directory's
 * {@code candidates/} or, with {@code search.executor.shared}, a Hadoop file system URI that the driver copies from.
 * A task that throws (a lost executor, a file system error) is run again by Spark, up to
 * {@code search.executor.maxFailures} attempts, and only the driver records it, once, from the attempt that answered.
 */
final class SparkExecutor implements CandidateExecutor {
    /** Test hook: the first attempt at the candidate with this id throws after publishing its run directory. */
    static final String FAIL_FIRST_ATTEMPT = "rnnkit.test.sparkFailFirstAttempt";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext spark;
    private final ExecutorConfig config;
    private final ConfigSource source;
    private final SearchDirectory directory;
    private final Pruner pruner;
    /** Where the executors publish the run directories. */
    private final String root;

    private SparkExecutor(JavaSparkContext spark, ExecutorConfig config, ConfigSource source, SearchDirectory directory, Pruner pruner) {
        this.spark = spark;
        this.config = config;
        this.source = source;
        this.directory = directory;
        this.pruner = pruner;
        this.root = config.shared() != null ? config.shared().replaceAll("/+$", "") : directory.path().toAbsolutePath().resolve("candidates").toUri().toString();
    }

    /** Starts Spark for the search ({@link SparkContexts}: the UI only when asked, on loopback; retries as configured). */
    static SparkExecutor start(ExecutorConfig config, ConfigSource source, SearchDirectory directory, Pruner pruner, SearchListener listener) {
        JavaSparkContext spark = SparkContexts.start(config.spark(), "rnnkit tune " + directory.path().toAbsolutePath().getFileName(),
                config.ui(), source.source() + ": search.executor.ui", config.maxFailures());
        spark.sc().addSparkListener(new RetryNotes(listener, config.maxFailures()));
        listener.note(SparkContexts.describe(spark));
        return new SparkExecutor(spark, config, source, directory, pruner);
    }

    @Override
    public TrialRecord train(int id, CandidateConfig candidate, TrainingListener... perIteration) {
        long start = System.nanoTime();
        try {
            String task = JSON.writeValueAsString(new Task(source.yaml(), source.source(), source.overrides(), candidate.settings(), id, root,
                    pruner == null ? Map.of() : pruner.finishedCurves()));
            spark.setJobDescription("rnnkit candidate " + id + ": " + candidate);
            spark.setLocalProperty(RetryNotes.CANDIDATE, Integer.toString(id));
            String answer = spark.parallelize(List.of(task), 1).map(new CandidateJob()).collect().get(0);
            TrialRecord record = JSON.readValue(answer, TrialRecord.class);
            removeAbandonedAttempts(id);
            if (config.shared() != null) {
                download(id);
            }
            return record;
        } catch (Exception e) {
            // the task failed maxFailures times; Spark's message has the last attempt's stack trace after the first line
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return CandidateTask.failed(id, candidate, "failed", new IllegalStateException("on Spark: " + first, e), start, List.of());
        }
    }

    /** What attempts that died while publishing left beside ROOT/NNNN (the one that answered renamed its copy). */
    private void removeAbandonedAttempts(int id) throws IOException {
        org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(root + "/" + CandidateJob.staging(id, "*"));
        FileSystem fs = pattern.getFileSystem(spark.hadoopConfiguration());
        org.apache.hadoop.fs.FileStatus[] left = fs.globStatus(pattern);
        for (org.apache.hadoop.fs.FileStatus f : left == null ? new org.apache.hadoop.fs.FileStatus[0] : left) {
            fs.delete(f.getPath(), true);
        }
    }

    /** The published run directory into candidates/NNNN, where best/ is copied from. */
    private void download(int id) throws IOException {
        String name = SearchDirectory.name(id);
        org.apache.hadoop.fs.Path published = new org.apache.hadoop.fs.Path(root + "/" + name);
        FileSystem fs = published.getFileSystem(spark.hadoopConfiguration());
        if (fs.exists(published)) {
            Path target = directory.freshCandidateDir(id);
            FileSystem local = FileSystem.getLocal(spark.hadoopConfiguration()).getRaw();
            FileUtil.copy(fs, published, local, new org.apache.hadoop.fs.Path(target.toAbsolutePath().toUri()), false, spark.hadoopConfiguration());
        }
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** Tells the search's listener of every failed attempt at a candidate's task, which Spark then runs again (or gives up on). */
    private static final class RetryNotes extends SparkListener {
        static final String CANDIDATE = "rnnkit.candidate";
        private final SearchListener listener;
        private final int attempts;
        private final Map<Integer, String> candidateOfStage = new ConcurrentHashMap<>();

        RetryNotes(SearchListener listener, int attempts) {
            this.listener = listener;
            this.attempts = attempts;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            String candidate = submitted.properties() == null ? null : submitted.properties().getProperty(CANDIDATE);
            if (candidate != null) {
                candidateOfStage.put(submitted.stageInfo().stageId(), candidate);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof TaskFailedReason failed) {
                int attempt = end.taskInfo().attemptNumber() + 1;
                listener.note("candidate " + candidateOfStage.getOrDefault(end.stageId(), "?") + ": Spark task attempt " + attempt + " of " + attempts
                        + " failed (" + failed.toErrorString().lines().findFirst().orElse("") + ")"
                        + (attempt < attempts ? "; Spark runs it again" : ""));
            }
        }
    }

    /** What a Spark task is given, as JSON: the config as written, the candidate, where to publish, and the pruner's history. */
    record Task(String yaml, String source, List<String> overrides, List<SearchSetting> settings, int id, String root,
                Map<Integer, List<Double>> finished) {
    }

    /** The Spark function: one task JSON in, one TrialRecord JSON out. Stateless, so Spark's closure serialization carries no object of rnnkit's. */
    static final class CandidateJob implements Function<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call(String json) throws IOException {
            Task task = JSON.readValue(json, Task.class);
            ConfigSource source = new ConfigSource(task.yaml(), task.source(), task.overrides());
            SearchConfig search = source.load().config().search();
            MetricScore score = new MetricScore(search.metric(), search.split());
            Pruner pruner = search.pruner() == null ? null : Pruner.restore(search.pruner(), search.metric(), task.finished());
            CandidateConfig candidate = new CandidateConfig(task.settings());
            Path work = Files.createTempDirectory("rnnkit-candidate-");
            try {
                Path runDir = work.resolve(SearchDirectory.name(task.id()));
                TrialRecord record = CandidateTask.train(source, candidate, task.id(), runDir, score, pruner, SearchListener.SILENT);
                if (Files.isDirectory(runDir)) {
                    publish(runDir, task);
                }
                int attempt = TaskContext.get().attemptNumber();
                if (Integer.getInteger(FAIL_FIRST_ATTEMPT, -1) == task.id() && attempt == 0) {
                    throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": attempt 0 at candidate " + task.id()
                            + " fails after publishing its run directory");
                }
                return JSON.writeValueAsString(record);
            } finally {
                SearchDirectory.deleteTree(work);
            }
        }

        /** Copies the run directory beside ROOT/NNNN under this attempt's name, then renames it over ROOT/NNNN: readers see a whole run or none. */
        private static void publish(Path runDir, Task task) throws IOException {
            Configuration hadoop = hadoopConfiguration();
            String name = SearchDirectory.name(task.id());
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(task.root() + "/" + name);
            org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(task.root() + "/" + staging(task.id(), Long.toString(TaskContext.get().taskAttemptId())));
            FileSystem fs = target.getFileSystem(hadoop);
            // no .crc files beside a local file system's copies: best/ is copied from here and must hold the run only
            fs.setWriteChecksum(false);
            FileSystem local = FileSystem.getLocal(hadoop).getRaw();
            fs.delete(staging, true);
            if (!FileUtil.copy(local, new org.apache.hadoop.fs.Path(runDir.toUri()), fs, staging, false, hadoop)) {
                throw new UncheckedIOException(new IOException("cannot copy " + runDir + " to " + staging));
            }
            fs.delete(target, true);
            if (!fs.rename(staging, target)) {
                throw new UncheckedIOException(new IOException("cannot rename " + staging + " to " + target));
            }
        }

        static String staging(int id, String attempt) {
            return "." + SearchDirectory.name(id) + "-attempt-" + attempt;
        }

        /** Hadoop's configuration on an executor: the cluster's files plus the application's spark.hadoop.* settings, as Spark's own I/O sees it. */
        private static Configuration hadoopConfiguration() {
            Configuration c = new Configuration();
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                for (Tuple2<String, String> e : env.conf().getAll()) {
                    if (e._1().startsWith("spark.hadoop.")) {
                        c.set(e._1().substring("spark.hadoop.".length()), e._2());
                    }
                }
            }
            return c;
        }
    }
}
