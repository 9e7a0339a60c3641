package io.rnnkit.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Show DL4J's own logging and stack traces of errors.")
    boolean verbose;

    void apply() {
        Main.verbose = verbose;
        // under spark-submit the fat jar has no logback: Spark's log4j2 and its configuration log instead
        if (!LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return;
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        if (verbose) {
            // the quiet configuration's few loggers held at ERROR (Spark's and Hadoop's, logback.xml) speak too; a
            // loop, not a lambda, which would give this class a method naming logback's types
            for (Logger l : root.getLoggerContext().getLoggerList()) {
                if (l != root && Level.ERROR.equals(l.getLevel())) {
                    l.setLevel(null);
                }
            }
        }
    }
}
