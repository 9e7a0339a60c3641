package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code ./rnnkit} launcher run as people run it, as a process of its own: its output is plain text, the
 * first build's Maven output stays in a log unless the build fails, and the PID the caller holds is the JVM's,
 * so a signal stops the training. Needs the packaged jar and its libraries ({@code mvn package}).
 *
 * <p>Each test runs a copy of the launcher in a directory of its own beside links to {@code target/rnnkit.jar}
 * and {@code target/lib} and the CLI's logging configuration, without the Java sources, so it never starts a real
 * build; the build tests put a stand-in {@code mvn} first on the PATH. Run alone with
 * {@code mvn -B -o package -DskipTests && mvn -B -o test -Dtest=LauncherTest -Drnnkit.excludedGroups=}.
 */
@Tag("packaged")
class LauncherTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final byte ESC = 0x1b;

    @TempDir
    Path dir;
    private Path home;

    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void copyTheLauncher() throws IOException {
        Path jar = PROJECT.resolve("target/rnnkit.jar");
        Path lib = PROJECT.resolve("target/lib");
        assertTrue(Files.isRegularFile(jar) && Files.isDirectory(lib), "the launcher tests need " + jar + " and " + lib + ": run mvn package first");
        home = Files.createDirectories(dir.resolve("home"));
        Files.copy(PROJECT.resolve("rnnkit"), home.resolve("rnnkit"));
        executable(home.resolve("rnnkit"));
        // the logging configuration the launcher passes, dated before the jar so that it does not call for a build
        Path logback = Files.createDirectories(home.resolve("src/main/cli")).resolve("logback.xml");
        Files.copy(PROJECT.resolve("src/main/cli/logback.xml"), logback);
        Files.setLastModifiedTime(logback, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 3_600_000));
    }

    private void linkThePackagedJar() throws IOException {
        Path target = Files.createDirectories(home.resolve("target"));
        Files.createSymbolicLink(target.resolve("rnnkit.jar"), PROJECT.resolve("target/rnnkit.jar"));
        Files.createSymbolicLink(target.resolve("lib"), PROJECT.resolve("target/lib"));
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ProcessBuilder launcher(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("rnnkit").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("RNNKIT_JAVA_OPTS", "-Xmx1g");
        builder.environment().putAll(env);
        return builder;
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = launcher(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("./rnnkit " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        byte[] o = Files.readAllBytes(out);
        byte[] e = Files.readAllBytes(err);
        assertFalse(contains(o, ESC), "an escape code on stdout:\n" + new String(o, StandardCharsets.UTF_8));
        assertFalse(contains(e, ESC), "an escape code on stderr:\n" + new String(e, StandardCharsets.UTF_8));
        return new Run(p.exitValue(), new String(o, StandardCharsets.UTF_8), new String(e, StandardCharsets.UTF_8));
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    /** A stand-in for Maven on the PATH: prints what Maven prints, colour codes included, then runs {@code then}. */
    private Map<String, String> fakeMaven(String then) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/bin/sh
                printf '\\033[0m\\033[0m[INFO] Scanning for projects...\\n'
                printf '[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/nd4j/nd4j-native.jar\\n'
                """ + then + "\n");
        executable(mvn);
        return Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    }

    /**
     * --spark: Spark's class path is resolved once, by Maven on src/main/spark/pom.xml with pom.xml's versions, into
     * target/spark-classpath.txt, and the JVM runs with it (here a list without Spark, so rnnkit says so, exit 2).
     */
    @Test
    void sparkIsResolvedOnceAndOnlyWhenAsked() throws IOException, InterruptedException {
        linkThePackagedJar();
        Files.copy(PROJECT.resolve("pom.xml"), home.resolve("pom.xml"));
        Files.copy(PROJECT.resolve("src/main/spark/pom.xml"), Files.createDirectories(home.resolve("src/main/spark")).resolve("pom.xml"));
        FileTime beforeTheJar = FileTime.fromMillis(Files.getLastModifiedTime(PROJECT.resolve("target/rnnkit.jar")).toMillis() - 3_600_000);
        Files.setLastModifiedTime(home.resolve("pom.xml"), beforeTheJar);
        Files.setLastModifiedTime(home.resolve("src/main/spark/pom.xml"), beforeTheJar);
        Files.setLastModifiedTime(home.resolve("src/main/spark"), beforeTheJar);
        Files.setLastModifiedTime(home.resolve("src/main"), beforeTheJar); // no rebuild: the sources are older than the jar
        Path config = Files.writeString(dir.resolve("search.yaml"), io.rnnkit.config.Yaml.SEARCH);
        Map<String, String> env = fakeMaven("""
                echo "$@" > '%s'
                for a in "$@"; do case "$a" in -Dmdep.outputFile=*) printf '%%s' '%s' > "${a#-Dmdep.outputFile=}" ;; esac; done
                """.formatted(dir.resolve("maven-arguments.txt"), dir.resolve("no-spark-here.jar")));

        Run plain = run(env, "tune", config.toString(), "--out", dir.resolve("a").toString(), "--set", "search.executor.spark=local[2]");
        assertEquals(2, plain.code(), plain.err());
        assertFalse(Files.exists(dir.resolve("maven-arguments.txt")), "no --spark, no Spark: nothing resolved");

        Run first = run(env, "tune", config.toString(), "--out", dir.resolve("b").toString(), "--spark", "local[2]");
        assertEquals(2, first.code(), first.err());
        assertTrue(first.err().startsWith("rnnkit: resolving Spark's jars (first use of Spark"), first.err());
        assertTrue(first.err().contains("--spark: Spark is not on the class path"), "the JVM ran with the resolved list: " + first.err());
        String maven = Files.readString(dir.resolve("maven-arguments.txt"));
        assertTrue(maven.contains("-f src/main/spark/pom.xml") && maven.contains("-Dspark.version=3.5.") && maven.contains("dependency:build-classpath"), maven);
        Files.delete(dir.resolve("maven-arguments.txt"));

        Run second = run(env, "tune", config.toString(), "--out", dir.resolve("c").toString(), "--spark=local[2]");
        assertEquals(2, second.code(), second.err());
        assertFalse(second.err().contains("resolving Spark's jars"), second.err());
        assertFalse(Files.exists(dir.resolve("maven-arguments.txt")), "resolved once");

        // data-parallel training asks for Spark the same way, and a missing Spark is bad input before the run directory exists
        Path training = Files.writeString(dir.resolve("train.yaml"), io.rnnkit.config.Yaml.MINIMAL);
        Run train = run(env, "train", training.toString(), "--out", dir.resolve("d").toString(), "--set", "training.distributed.spark=local[2]");
        assertEquals(2, train.code(), train.err());
        assertTrue(train.err().contains("training.distributed: Spark is not on the class path; ./rnnkit adds it with RNNKIT_SPARK=1"), train.err());
        assertFalse(Files.exists(dir.resolve("d")), "no run directory");
    }

    @Test
    void helpIsPlainTextOnStdoutWithoutTheIncubatorWarning() throws IOException, InterruptedException {
        linkThePackagedJar();
        for (String[] args : new String[][]{{"--help"}, {"train", "--help"}}) {
            Run r = run(Map.of(), args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: rnnkit"), r.out());
            assertEquals("", r.err(), "stderr of " + String.join(" ", args) + " (the JVM's incubator warning is filtered)");
        }
    }

    @Test
    void theFirstBuildKeepsMavensOutputInItsLogAndSaysWhatIsHappening() throws IOException, InterruptedException {
        // the stand-in "builds" by linking the packaged jar, as mvn package would have written it
        Map<String, String> env = fakeMaven("""
                mkdir -p target
                ln -s '%s' target/rnnkit.jar
                ln -s '%s' target/lib
                printf '\\033[1m[INFO] BUILD SUCCESS\\033[m\\n\\033[0m'
                """.formatted(PROJECT.resolve("target/rnnkit.jar"), PROJECT.resolve("target/lib")));
        Run first = run(env, "--help");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("Usage: rnnkit [-hV] [COMMAND]"), "the first line is the command's own:\n" + first.out());
        assertEquals("rnnkit: building rnnkit (first use: downloads ~250 MB of dependencies, a few minutes; log in target/build.log)...\n", first.err());
        String log = Files.readString(home.resolve("target/build.log"));
        assertTrue(log.contains("Downloading from central") && log.contains("BUILD SUCCESS"), log);

        Run second = run(env, "--version");
        assertEquals(0, second.code(), second.err());
        assertEquals("", second.err(), "built once: no second build");
    }

    @Test
    void aRebuildWritesTargetLibAfreshAndKeepsMkl() throws IOException, InterruptedException {
        // a jar older than the sources, beside the libraries of an earlier build: one of them outdated, and MKL
        Path target = Files.createDirectories(home.resolve("target"));
        Path oldJar = Files.writeString(target.resolve("rnnkit.jar"), "an earlier build");
        Files.setLastModifiedTime(oldJar, FileTime.fromMillis(0));
        Path lib = Files.createDirectories(target.resolve("lib"));
        Files.writeString(lib.resolve("logback-core-1.2.13.jar"), "an outdated dependency");
        Files.writeString(lib.resolve("mkl-2022.0-1.5.7-linux-x86_64-redist.jar"), "MKL");
        Map<String, String> env = fakeMaven("""
                printf '%%s\\n' "$*" > maven-arguments.txt
                test -e target/lib && echo 'target/lib was left in place' && exit 1
                rm target/rnnkit.jar
                ln -s '%s' target/rnnkit.jar
                ln -s '%s' target/lib
                """.formatted(PROJECT.resolve("target/rnnkit.jar"), PROJECT.resolve("target/lib")));
        Run r = run(env, "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("rnnkit: rebuilding rnnkit (the sources changed; log in target/build.log)...\n", r.err());
        assertTrue(r.out().startsWith("rnnkit "), r.out());
        assertEquals("-B -Dstyle.color=never -Pmkl -DskipTests package", Files.readString(home.resolve("maven-arguments.txt")).strip());
    }

    @Test
    void aFailedBuildShowsItsErrorsFromTheLogAndExits1() throws IOException, InterruptedException {
        Map<String, String> env = fakeMaven("""
                printf '\\033[1;31m[ERROR]\\033[m COMPILATION ERROR :\\n'
                printf '\\033[1;31m[ERROR]\\033[m src/main/java/io/rnnkit/X.java:[3,1] class, interface, enum, or record expected\\n'
                exit 1
                """);
        Run r = run(env, "train", "--help");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("rnnkit: building rnnkit (first use"), r.err());
        assertTrue(r.err().contains("rnnkit: the build failed; its errors (the whole log is " + home.resolve("target/build.log") + "):\n"
                + "[ERROR] COMPILATION ERROR :\n[ERROR] src/main/java/io/rnnkit/X.java:[3,1] class, interface, enum, or record expected\n"), r.err());
        assertFalse(r.err().contains("Downloading"), "only the errors, not the whole log:\n" + r.err());
        assertTrue(Files.readString(home.resolve("target/build.log")).contains("Downloading from central"));
    }

    @Test
    void anErrorIsOnStderrWhenTheLaunchersPidHasExitedEvenThroughASlowFilter() throws IOException, InterruptedException {
        linkThePackagedJar();
        // the launcher filters the JVM's stderr with grep: a grep that passes each line a second late shows that
        // the exit waits for the filter, rather than racing it (1 in 20 runs lost the message on a loaded machine)
        Path bin = Files.createDirectories(dir.resolve("slow-bin"));
        executable(Files.writeString(bin.resolve("grep"), """
                #!/bin/sh
                while IFS= read -r line; do sleep 1; printf '%%s\\n' "$line"; done | PATH='%s' grep "$@"
                """.formatted(System.getenv("PATH"))));
        Path missing = dir.resolve("missing.yaml");
        Run r = run(Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH")), "validate", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + missing + ": no such config file\n", r.err());
    }

    @Test
    void aSignalToTheLaunchersPidStopsTheTrainingJvm() throws IOException, InterruptedException {
        linkThePackagedJar();
        Path out = dir.resolve("run");
        Path log = dir.resolve("train.log");
        Process p = launcher(Map.of(), "train", PROJECT.resolve("configs/quickstart.yaml").toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(Files.exists(out.resolve("history.csv")) && Files.readAllLines(out.resolve("history.csv")).size() >= 2)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    fail("no epoch done in 90 s (exit " + (p.isAlive() ? "none" : p.exitValue()) + "):\n" + Files.readString(log));
                }
                Thread.sleep(200);
            }
            assertEquals("running", status(out).path("status").asText());
            ProcessHandle launched = p.toHandle();
            String command = launched.info().command().orElse("");
            assertTrue(command.endsWith("/java"), "the launcher's PID runs java itself (exec), not " + command);
            List<ProcessHandle> jvms = launched.descendants().filter(d -> d.info().command().orElse("").endsWith("/java")).toList();

            p.destroy(); // SIGTERM, as kill PID, timeout or a CI runner send
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not stop within 30 s of SIGTERM");
            assertEquals(128 + 15, p.exitValue(), "the JVM's own status on SIGTERM is the launcher's");
            JsonNode status = status(out);
            assertEquals("interrupted", status.path("status").asText(), status.toString());
            assertTrue(status.path("epochsDone").asInt() >= 1, status.toString());
            assertFalse(launched.isAlive());
            for (ProcessHandle jvm : jvms) {
                assertFalse(jvm.isAlive(), "a JVM the launcher started is left running: " + jvm.info());
            }
        } finally {
            // a failed assertion must not leave a training JVM behind (the old launcher did exactly that)
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static JsonNode status(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("status.json").toFile());
    }
}
