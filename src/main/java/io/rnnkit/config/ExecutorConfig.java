package io.rnnkit.config;

@Doc("Where a search's candidates train when not in this process: as Spark tasks, one candidate each (rnnkit tune --spark MASTER sets spark).")
public record ExecutorConfig(
        @Doc("Spark master URL: local[N] (N tasks in this JVM), spark://HOST:PORT (a standalone cluster), yarn or k8s://URL.")
        @Pattern(value = "local(\\[(\\d+|\\*)(,\\d+)?])?|spark://\\S+|yarn|k8s://\\S+",
                hint = "local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL") String spark,
        @Doc("Where the executors write the candidates' run directories when they do not share the search directory's file system:"
                + " a Hadoop file system URI (hdfs://namenode/rnnkit/search-1, file:/nfs/search-1); the driver copies each into candidates/."
                + " Absent: the search directory itself, at the same path on every executor (local masters, a shared mount).")
        @Optional @Pattern(value = "[A-Za-z][A-Za-z0-9+.-]*:\\S+", hint = "a URI with a scheme, such as hdfs://namenode/dir or file:/dir") String shared,
        @Doc("Attempts Spark makes at a candidate's task (spark.task.maxFailures, local masters too) before the candidate is recorded as failed.")
        @Default("4") @Range(min = 1, max = 100) int maxFailures,
        @Doc("Spark's web UI while the search runs, on 127.0.0.1 (spark.ui.port, 4040 or the next free port); off unless true.")
        @Default("false") boolean ui) {
    public ExecutorConfig {
        Constraints.check(ExecutorConfig.class, spark, shared, maxFailures, ui);
    }
}
