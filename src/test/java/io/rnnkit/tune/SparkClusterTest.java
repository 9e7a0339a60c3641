package io.rnnkit.tune;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone Spark cluster on loopback, started here from Spark's jars (the ones {@code ./rnnkit} resolves for
 * Spark, {@code target/spark-classpath.txt}, laid out as a Spark home's {@code jars/}): a master and two workers of one
 * core each, every port chosen free. The README's spark-submit example, read from the README itself (its master, config
 * and search directory replaced by this cluster's and this test's), runs the distributed search with the fat jar
 * ({@code target/rnnkit-spark.jar}, built by {@code mvn verify} before the spark tests) through Spark's launcher, as
 * bin/spark-submit does. Every candidate is recorded once and both workers ran an executor. The processes are ended
 * by PID (their children, the executors, first), also when the test fails.
 */
@Tag("spark")
class SparkClusterTest {
    /** SparkSearchTest's search, four candidates of it. */
    private static final String CONFIG = SparkSearchTest.CONFIG.replace("maxCandidates: 6", "maxCandidates: 4");
    private static final List<Process> started = new ArrayList<>();

    @TempDir
    static Path dir;

    @AfterAll
    static void stopTheCluster() throws InterruptedException {
        // the newest first (the workers before the master), each one's children (executors) before it
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            List<ProcessHandle> children = p.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theReadmesSparkSubmitExampleRunsTheSearchOnAStandaloneCluster() throws Exception {
        Path fatJar = Path.of("target/rnnkit-spark.jar");
        assertTrue(Files.isRegularFile(fatJar), "mvn verify builds " + fatJar + " before the spark tests (pre-integration-test)");
        Path home = sparkHome();
        String modules = javaModuleOptions();

        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;
        int masterUi = freePort();
        long start = System.nanoTime();
        start("master", home, List.of(modules.split(" ")), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUi));
        for (int w = 1; w <= 2; w++) {
            start("worker" + w, home, List.of(modules.split(" ")), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
                    "--cores", "1", "--memory", "2g", "--work-dir", dir.resolve("work" + w).toString(), master);
        }
        awaitWorkers(masterUi, 2);
        double clusterSeconds = (System.nanoTime() - start) / 1e9;

        Path config = dir.resolve("cluster-search.yaml");
        Files.writeString(config, CONFIG);
        Path out = dir.resolve("search");
        List<String> submit = readmeExample().stream()
                .map(a -> a.replace("spark://master:7077", master).replace("/shared/configs/sc-search.yaml", config.toString())
                        .replace("/shared/runs/sc-search", out.toString()))
                .toList();
        assertEquals("spark-submit", submit.get(0));
        start = System.nanoTime();
        Process search = start("spark-submit", home, launcherCommand(home, submit.subList(1, submit.size())));
        boolean ended = search.waitFor(10, TimeUnit.MINUTES);
        String log = Files.readString(dir.resolve("spark-submit.log"));
        System.out.println("spark-submit said:\n" + log);
        System.out.printf("standalone cluster (a master, two 1-core workers) up in %.1f s; the search through spark-submit took %.1f s%n",
                clusterSeconds, (System.nanoTime() - start) / 1e9);
        assertTrue(ended && search.exitValue() == 0, "spark-submit ended with " + (ended ? search.exitValue() : "nothing in 10 min") + ":\n" + log);

        assertTrue(log.contains("Spark 3.5.9: master " + master), log);
        List<String> rows = Files.readAllLines(out.resolve("trials.csv"));
        List<String> ids = rows.subList(1, rows.size()).stream().map(r -> r.substring(0, r.indexOf(','))).sorted().toList();
        assertEquals(List.of("0", "1", "2", "3"), ids, "each candidate once: " + rows);
        assertTrue(rows.stream().skip(1).allMatch(r -> r.contains(",completed,")), String.join("\n", rows));
        try (Stream<Path> candidates = Files.list(out.resolve("candidates"))) {
            assertEquals(List.of("0000", "0001", "0002", "0003"), candidates.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.isRegularFile(out.resolve("best/model.zip")), "best/ is a whole run directory");
        for (int w = 1; w <= 2; w++) {
            try (Stream<Path> apps = Files.list(dir.resolve("work" + w))) {
                assertEquals(1, apps.filter(p -> p.getFileName().toString().startsWith("app-")).count(), "worker " + w + " ran an executor");
            }
        }
    }

    /** The README's spark-submit example as words, its quotes removed as a shell would. */
    static List<String> readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = java.util.regex.Pattern.compile("(?m)^spark-submit (?:.*\\\\\\n)*.*$").matcher(readme);
        assertTrue(m.find(), "the README has a spark-submit example");
        List<String> words = new ArrayList<>();
        Matcher word = java.util.regex.Pattern.compile("\"([^\"]*)\"|([^\\s\\\\\"]+)").matcher(m.group());
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1) : word.group(2));
        }
        return words;
    }

    /** What bin/spark-submit runs: Spark's launcher prints the driver's command (its words NUL-separated), with the driver's JVM options. */
    private static List<String> launcherCommand(Path home, List<String> arguments) throws Exception {
        List<String> launcher = new ArrayList<>(List.of(javaBinary(), "-cp", home.resolve("jars") + "/*", "org.apache.spark.launcher.Main",
                "org.apache.spark.deploy.SparkSubmit"));
        launcher.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(launcher).redirectError(ProcessBuilder.Redirect.INHERIT);
        environment(builder, home);
        Process p = builder.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "Spark's launcher: " + printed);
        // the words end with NUL; the first comes after a line break
        return Stream.of(printed.split("\0")).map(String::strip).filter(w -> !w.isEmpty()).toList();
    }

    private static Process start(String name, Path home, List<String> jvmOptions, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", home.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(arguments));
        return start(name, home, command);
    }

    private static Process start(String name, Path home, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        environment(builder, home);
        Process p = builder.start();
        started.add(p);
        return p;
    }

    /** Spark's scripts' environment: its home, its Scala version (a home without build directories cannot tell), loopback only. */
    private static void environment(ProcessBuilder builder, Path home) {
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("SPARK_CONF_DIR");
    }

    /** A Spark home whose jars/ are links to Spark's jars as ./rnnkit resolves them (RNNKIT_SPARK=1 makes the launcher list them). */
    private static Path sparkHome() throws Exception {
        ProcessBuilder resolve = new ProcessBuilder("./rnnkit", "--version").redirectErrorStream(true);
        resolve.environment().put("RNNKIT_SPARK", "1");
        Process p = resolve.start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), said);
        Path home = Files.createDirectories(dir.resolve("spark-home/jars"));
        for (String jar : Files.readString(Path.of("target/spark-classpath.txt")).strip().split(":")) {
            Path link = home.resolve(Path.of(jar).getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of(jar).toAbsolutePath());
            }
        }
        return home.getParent();
    }

    /** The JVM options Spark's own scripts give its daemons on Java 17. */
    private static String javaModuleOptions() throws ReflectiveOperationException {
        return (String) Class.forName("org.apache.spark.launcher.JavaModuleOptions").getMethod("defaultModuleOptions").invoke(null);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the master's JSON page counts the workers alive. */
    private static void awaitWorkers(int masterUi, int workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = new String(URI.create("http://127.0.0.1:" + masterUi + "/json/").toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
                if (last.replace(" ", "").contains("\"aliveworkers\":" + workers)) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the workers did not register in 3 minutes: " + last + "\n" + Files.readString(dir.resolve("master.log")));
    }
}
