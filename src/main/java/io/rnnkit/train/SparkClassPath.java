package io.rnnkit.train;

import io.rnnkit.BadInputException;

/** Spark is provided: the cluster (spark-submit) or ./rnnkit supplies its jars, or nothing does. Names no class of Spark's. */
public final class SparkClassPath {
    private SparkClassPath() {
    }

    /** @param where the config and YAML path that asked for Spark, for the message */
    public static void require(String where) {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkClassPath.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new BadInputException(where + ": Spark is not on the class path; ./rnnkit adds it with RNNKIT_SPARK=1 (or, for tune,"
                    + " --spark MASTER), spark-submit supplies it to the fat jar (README, \"Searches on Spark\")");
        }
    }
}
