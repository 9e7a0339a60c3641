package io.rnnkit.bundle;

import io.rnnkit.CliLogging;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Java code as an application that depends on rnnkit sees it: compiled and run against rnnkit's classes
 * ({@code target/classes}) and its runtime dependency jars only — no test classes, no test libraries. The jars
 * are the list Maven writes to {@code target/runtime-classpath.txt} before the tests run (pom.xml).
 */
final class ExternalJava {
    private ExternalJava() {
    }

    /** {@code target/classes} and the runtime dependency jars, as a class path. */
    static String runtimeClassPath() throws IOException {
        Path list = Path.of("target/runtime-classpath.txt");
        assertTrue(Files.isRegularFile(list), list + " is written by maven-dependency-plugin in generate-test-resources; run the tests with Maven");
        return Path.of("target/classes").toAbsolutePath() + File.pathSeparator + Files.readString(list).strip();
    }

    /** Compiles one source file into {@code out} against the runtime class path; fails the test with the compiler's messages. */
    static void compile(Path out, String className, String source) throws IOException {
        compile(out, className, source, runtimeClassPath());
    }

    /** Compiles one source file into {@code out} against {@code classPath}; fails the test with the compiler's messages. */
    static void compile(Path out, String className, String source, String classPath) throws IOException {
        Path file = Files.writeString(Files.createDirectories(out).resolve(className + ".java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int code = javac.run(null, messages, messages, "-d", out.toString(), "-cp", classPath, "--release", "17", file.toString());
        assertEquals(0, code, "the application does not compile against rnnkit alone:\n" + messages.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code mainClass} from {@code classes} in a new JVM on the runtime class path and returns its standard output; fails on a non-zero exit. */
    static String run(Path classes, String mainClass, String... args) throws IOException, InterruptedException {
        return run(classes, List.of(), mainClass, args);
    }

    /** {@link #run(Path, String, String...)} with options for the JVM, such as a small {@code -Xmx}. */
    static String run(Path classes, List<String> jvmOptions, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add(CliLogging.JVM_OPTION);
        return run(runtimeClassPath(), options, classes, mainClass, args);
    }

    /**
     * Runs {@code mainClass} from {@code classes} in a new JVM started with {@code jvmOptions} on {@code classes}
     * and {@code classPath}; returns its standard output (its standard error is left in {@code classes/stderr.txt})
     * and fails on a non-zero exit.
     */
    static String run(String classPath, List<String> jvmOptions, Path classes, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classes.toAbsolutePath() + File.pathSeparator + classPath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(classes.resolve("stderr.txt").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the application did not finish in 5 minutes");
        }
        assertEquals(0, process.exitValue(), "the application failed:\n" + Files.readString(classes.resolve("stderr.txt")));
        return new String(out, StandardCharsets.UTF_8);
    }
}
