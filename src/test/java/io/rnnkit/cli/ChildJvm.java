package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnnkit} in a separate JVM on the test classpath, for tests that kill it, fill its disk or limit its heap. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * Starts {@code rnnkit args...} with its output (both streams) in {@code log}.
     *
     * @param heap the maximum heap, such as {@code 1g}
     */
    static Process start(Path log, String heap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        // the layers' default thread count as in this JVM: a run resumed here after a child's repeats it only with the same count
        String threads = System.getProperty("rnnkit.threads");
        if (threads != null) {
            command.add("-Drnnkit.threads=" + threads);
        }
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The streaming path's proof in a small heap: {@code validate} of {@code memoryConfig} (the data read whole) runs out of
     * memory in {@code heap}, {@code train} of {@code streamedConfig} trains there (into {@code dir/streamed}), and the
     * same training in this JVM reading the data whole (into {@code dir/memory}) writes the same figures for every split.
     *
     * @return the streamed run's log
     */
    static String streamedTrainsWhereWholeDoesNot(Path dir, String heap, Path memoryConfig, Path streamedConfig) throws Exception {
        Process whole = start(dir.resolve("whole.log"), heap, "validate", memoryConfig.toString());
        assertTrue(whole.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        String wholeLog = Files.readString(dir.resolve("whole.log"));
        assertNotEquals(0, whole.exitValue(), wholeLog);
        assertTrue(wholeLog.contains("out of memory"), wholeLog);

        Process streamed = start(dir.resolve("streamed.log"), heap, "train", streamedConfig.toString(), "--out", dir.resolve("streamed").toString());
        assertTrue(streamed.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = Files.readString(dir.resolve("streamed.log"));
        assertEquals(0, streamed.exitValue(), log);
        assertTrue(log.contains("data: streamed from the cache"), log);

        assertEquals(0, Main.run("train", memoryConfig.toString(), "--out", dir.resolve("memory").toString()));
        ObjectMapper json = new ObjectMapper();
        JsonNode s = json.readTree(dir.resolve("streamed/metrics.json").toFile());
        JsonNode m = json.readTree(dir.resolve("memory/metrics.json").toFile());
        for (String split : new String[]{"train", "validation", "test"}) {
            assertTrue(m.get(split).get("loss").asDouble() > 0, split);
            assertEquals(m.get(split), s.get(split), split);
        }
        return log;
    }
}
