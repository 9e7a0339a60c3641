package io.rnnkit.config;

@Doc("Experimental: data-parallel training of this one model on Spark. Every worker (a Spark task) trains the ordinary network on its"
        + " share of each epoch's minibatches; after averagingFrequency minibatches each, the driver averages the parameters and the"
        + " updater's state and sends them back. The workers read the data files themselves; only parameters cross the network."
        + " Needs Spark on the class path (./rnnkit with RNNKIT_SPARK=1, or spark-submit).")
public record DistributedConfig(
        @Doc("Spark master URL: local[N] (N tasks in this JVM), spark://HOST:PORT (a standalone cluster), yarn or k8s://URL.")
        @Pattern(value = "local(\\[(\\d+|\\*)])?|spark://\\S+|yarn|k8s://\\S+",
                hint = "local, local[N], local[*], spark://HOST:PORT, yarn or k8s://URL") String spark,
        @Doc("Workers, each a Spark task with its own copy of the network; at least the cores that run them for all to train at once.")
        @Default("2") @Range(min = 1, max = 10000) int workers,
        @Doc("Minibatches each worker trains between two averagings: 1 averages after every step (closest to training on one machine),"
                + " larger values send parameters less often but let the copies drift apart.")
        @Default("1") @Range(min = 1, max = 100000) int averagingFrequency,
        @Doc("Spark's web UI while training, on SPARK_LOCAL_IP (127.0.0.1 with ./rnnkit and a local master); off unless true.")
        @Default("false") boolean ui) {
    public DistributedConfig {
        Constraints.check(DistributedConfig.class, spark, workers, averagingFrequency, ui);
    }
}
