package io.rnnkit.train;

import io.rnnkit.BadInputException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;

/**
 * How rnnkit starts Spark, for a search on Spark and for data-parallel training alike. spark-submit's settings
 * (spark.* system properties) win over these, but for the retries and the UI, which are always as the config says:
 * Spark's UI only when asked, and only with {@code SPARK_LOCAL_IP} set (Spark binds it there, else to every
 * interface); speculative copies of a task never. A local master keeps everything on loopback.
 */
public final class SparkContexts {
    private static final java.util.regex.Pattern LOCAL = java.util.regex.Pattern.compile("local(\\[(\\d+|\\*)])?");

    private SparkContexts() {
    }

    /**
     * @param uiPath      the YAML path of the ui setting, for the refusal
     * @param maxFailures attempts at a task; a local master is made to retry too ({@link #master})
     */
    public static JavaSparkContext start(String master, String appName, boolean ui, String uiPath, int maxFailures) {
        if (ui && System.getenv("SPARK_LOCAL_IP") == null) {
            throw new BadInputException(uiPath + ": Spark's UI listens on the address in the environment variable"
                    + " SPARK_LOCAL_IP, else on every interface; set SPARK_LOCAL_IP=127.0.0.1 (./rnnkit does with a local master)");
        }
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.master", master(master, maxFailures))
                .setIfMissing("spark.app.name", appName)
                .set("spark.task.maxFailures", Integer.toString(maxFailures))
                .set("spark.ui.enabled", Boolean.toString(ui))
                .set("spark.speculation", "false")
                .setIfMissing("spark.hadoop.hadoop.tmp.dir", Path.of(System.getProperty("java.io.tmpdir"), "rnnkit-hadoop").toString());
        if (conf.get("spark.master").startsWith("local")) {
            // nothing leaves this machine: the driver's RPC and block manager (and the UI, above) on loopback
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }

    /** A local master retries a failed task only when its URL says so: local[N] becomes local[N,maxFailures]. */
    public static String master(String master, int maxFailures) {
        java.util.regex.Matcher m = LOCAL.matcher(master);
        return m.matches() ? "local[" + (m.group(2) == null ? "1" : m.group(2)) + "," + maxFailures + "]" : master;
    }

    /** The line that says where Spark runs. */
    public static String describe(JavaSparkContext spark) {
        return "Spark " + spark.version() + ": master " + spark.master() + ", application " + spark.sc().applicationId()
                + (spark.sc().uiWebUrl().isDefined() ? ", UI " + spark.sc().uiWebUrl().get() : "");
    }
}
