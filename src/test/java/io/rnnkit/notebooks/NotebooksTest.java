package io.rnnkit.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.AtomicFiles;
import io.rnnkit.CliLogging;
import io.rnnkit.TestData;
import io.rnnkit.config.DataPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every {@code notebooks/*.ipynb} headless in a real Jupyter kernel — the Java kernel
 * rapaio-jupyter-kernel on rnnkit's runtime class path, driven by Jupyter's nbclient — and fails on the first
 * cell that throws or does not compile, naming the notebook and the cell. A new notebook needs no code here;
 * one that reads public datasets lists them in its metadata ({@code "rnnkit": {"datasets": ["names/names.txt"]}})
 * and is skipped or failed like any other test without its data ({@link TestData#require}).
 *
 * <p>Everything Jupyter writes stays under {@code target/jupyter}: the kernel spec
 * ({@code kernels/rnnkit-java/kernel.json}, which also serves to open the notebooks in Jupyter), runtime, data
 * and config directories. The executed copies go to {@code target/notebooks}; with {@code -Dnotebooks.update=true}
 * each one that ran clean also replaces its notebook in {@code notebooks/} (how the committed outputs are regenerated);
 * {@code -Dnotebooks=quickstart,forecasting} runs only the notebooks whose names contain one of those words.
 */
@Tag("notebooks")
class NotebooksTest {
    static final String KERNEL_NAME = "rnnkit-java";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String INSTALL = "apt-get install -y --no-install-recommends python3-nbclient";
    /** Object.toString's class@hash, which says nothing to a reader. */
    private static final java.util.regex.Pattern IDENTITY = java.util.regex.Pattern.compile("[\\w.$]+@[0-9a-f]{4,}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A kernel runs all of a notebook; beyond this something hangs (the runner's own cell timeout is shorter). */
    private static final long NOTEBOOK_LIMIT_MINUTES = 20;

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path TARGET = ROOT.resolve("target");
    private static final Path JUPYTER = TARGET.resolve("jupyter");

    @BeforeAll
    static void writeKernelSpec() throws IOException {
        Path kernelJar = Path.of(System.getProperty("rnnkit.jupyterKernelJar",
                JUPYTER.resolve("rapaio-jupyter-kernel.jar").toString()));
        assertTrue(Files.isRegularFile(kernelJar), kernelJar + " is missing: mvn copies it in generate-test-resources");
        List<String> classPath = new ArrayList<>();
        classPath.add(TARGET.resolve("classes").toString());
        for (String entry : Files.readString(TARGET.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classPath.add(entry);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RJK_CLASSPATH", String.join(";", classPath));   // the kernel's separator is ';' on every platform
        env.put("RJK_COMPILER_OPTIONS", "");
        env.put("RJK_INIT_SCRIPT", "");
        env.put("RJK_TIMEOUT_MILLIS", "-1");
        env.put("RJK_MIMA_CACHE", JUPYTER.resolve("mima-cache").toString());   // its Maven cache, unused without %dependency
        env.put("OMP_NUM_THREADS", "1");                                         // as ./rnnkit runs (docs/architecture.md, "Threads")
        env.put("RNNKIT_DATASETS", DataPaths.datasetsRoot().toAbsolutePath().normalize().toString());
        Map<String, Object> spec = new LinkedHashMap<>();
        // English number formats whatever the machine's locale, so regenerated outputs differ only where results do
        spec.put("argv", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-Djava.awt.headless=true", CliLogging.JVM_OPTION,
                "-Duser.language=en", "-Duser.country=US", "-jar", kernelJar.toString(), "{connection_file}"));
        spec.put("display_name", "Java (rnnkit)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", env);
        Path dir = Files.createDirectories(JUPYTER.resolve("kernels").resolve(KERNEL_NAME));
        JSON.writeValue(dir.resolve("kernel.json").toFile(), spec);
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsToTheEnd() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            notebooks = files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).filter(NotebooksTest::selected).sorted().toList();
        }
        assertTrue(!notebooks.isEmpty(), "no notebooks in " + ROOT.resolve("notebooks") + " match -Dnotebooks=" + System.getProperty("rnnkit.notebooks"));
        return notebooks.stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> execute(nb)));
    }

    /** -Dnotebooks=a,b runs only the notebooks whose names contain a or b. */
    private static boolean selected(Path notebook) {
        String only = System.getProperty("rnnkit.notebooks", "");
        return only.isBlank() || Stream.of(only.split(",")).map(String::strip).anyMatch(notebook.getFileName().toString()::contains);
    }

    private static void execute(Path notebook) throws IOException, InterruptedException {
        requireNbclient();
        JsonNode source = JSON.readTree(notebook.toFile());
        int cells = source.path("cells").size();
        JsonNode meta = source.path("metadata");
        meta.path("rnnkit").path("datasets").forEach(d -> TestData.require(d.asText()));
        assertTrue(KERNEL_NAME.equals(meta.path("kernelspec").path("name").asText()),
                notebook + ": metadata.kernelspec.name must be " + KERNEL_NAME);

        String name = notebook.getFileName().toString();
        String stem = name.substring(0, name.length() - ".ipynb".length());
        Path work = Files.createDirectories(TARGET.resolve("notebooks"));
        Path output = work.resolve(name);
        Path result = work.resolve(stem + ".result.json");
        Path runnerLog = work.resolve(stem + ".runner.log");
        Files.deleteIfExists(result);
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), ROOT.resolve("src/test/python/execute_notebook.py").toString(),
                notebook.toString(), "--output", output.toString(), "--result", result.toString(), "--kernel", KERNEL_NAME,
                "--cwd", notebook.getParent().toString(), "--kernel-log", work.resolve(stem + ".kernel.log").toString())
                .redirectErrorStream(true).redirectOutput(runnerLog.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", JUPYTER.toString());
        env.put("JUPYTER_DATA_DIR", JUPYTER.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", JUPYTER.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", JUPYTER.resolve("config").toString());
        env.put("IPYTHONDIR", JUPYTER.resolve("ipython").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");   // no deprecation notice about the directories jupyter_core will use
        Process p = pb.start();
        if (!p.waitFor(NOTEBOOK_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("notebooks/" + name + " did not finish within " + NOTEBOOK_LIMIT_MINUTES + " min; runner log: " + runnerLog);
        }
        if (!Files.exists(result)) {
            fail("notebooks/" + name + ": the runner stopped (exit " + p.exitValue() + ") without a result:\n"
                    + Files.readString(runnerLog, StandardCharsets.UTF_8));
        }
        JsonNode outcome = JSON.readTree(result.toFile());
        System.out.printf("notebook %s: %s in %.1f s, %d kernel start(s)%n", name, outcome.path("status").asText(),
                outcome.path("seconds").asDouble(), outcome.path("starts").asInt());
        switch (outcome.path("status").asText()) {
            case "ok" -> {
                readable(name, JSON.readTree(output.toFile()));
                if (Boolean.getBoolean("rnnkit.notebooksUpdate")) {   // only a notebook that ran clean replaces the committed one
                    AtomicFiles.write(notebook, Files.readAllBytes(output));
                }
            }
            case "cell-error" -> fail("notebooks/" + name + ", cell " + (outcome.path("cell").asInt() + 1) + " of " + cells
                    + " (code cell " + outcome.path("codeCell").asInt() + ", starting '" + firstLine(outcome.path("source").asText()) + "') failed: "
                    + outcome.path("ename").asText() + ": " + outcome.path("evalue").asText() + "\n"
                    + plain(outcome.path("traceback").asText()) + "\nexecuted copy: " + output);
            default -> fail("notebooks/" + name + ": " + outcome.path("status").asText() + ": " + outcome.path("evalue").asText()
                    + "\nrunner log: " + runnerLog);
        }
    }

    /**
     * A cell whose last statement is an expression shows its value; one that shows only an object's identity
     * ({@code java.io.PrintStream@6dcc877}, left by a final printf) is noise in a notebook meant to be read.
     */
    private static void readable(String name, JsonNode executed) {
        JsonNode cells = executed.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            for (JsonNode out : cells.get(i).path("outputs")) {
                for (JsonNode value : out.path("data")) {
                    StringBuilder text = new StringBuilder();   // nbformat stores multi-line text as a list of lines
                    (value.isArray() ? value : List.of(value)).forEach(line -> text.append(line.asText()));
                    if ("execute_result".equals(out.path("output_type").asText()) && IDENTITY.matcher(text.toString().strip()).matches()) {
                        fail("notebooks/" + name + ", cell " + (i + 1) + " shows an object's identity '" + text.toString().strip()
                                + "' as its result; end the cell with a statement (println rather than printf)");
                    }
                }
            }
        }
    }

    /** Jupyter's execution engine, or the test is skipped (failed where RNNKIT_REQUIRE_DATA=1, as in CI). */
    private static void requireNbclient() throws IOException, InterruptedException {
        boolean present = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import nbclient, nbformat")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        if (!present) {
            String message = "Jupyter's nbclient is absent from " + PYTHON + "; install it with " + INSTALL;
            if ("1".equals(System.getenv("RNNKIT_REQUIRE_DATA"))) {
                throw new AssertionError(message + " — RNNKIT_REQUIRE_DATA=1 demands it");
            }
            Assumptions.abort(message);
        }
    }

    private static String firstLine(String source) {
        String line = source.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }

    /** The kernel's tracebacks are coloured with ANSI escapes, which a test report shows as noise. */
    static String plain(String text) {
        return text.replaceAll("\u001B\\[[0-9;]*m", "");
    }
}
