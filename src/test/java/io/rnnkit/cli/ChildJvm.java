package io.rnnkit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
