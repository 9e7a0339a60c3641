package io.rnnkit;

import java.nio.file.Path;

/**
 * The command line's logging configuration for JVMs that tests start on rnnkit's runtime class path
 * ({@code target/classes} and the runtime jars, no test resources). That class path holds logback, the CLI's
 * backend, but no configuration of it — the jar carries none, so that applications keep their own — and
 * logback left alone logs DEBUG to stdout. Tests' own JVMs use {@code logback-test.xml} instead.
 */
public final class CliLogging {
    /** The JVM option that ./rnnkit passes too. */
    public static final String JVM_OPTION = "-Dlogback.configurationFile=" + Path.of("src/main/cli/logback.xml").toAbsolutePath();

    private CliLogging() {
    }
}
