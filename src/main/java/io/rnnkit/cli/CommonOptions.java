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
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        if (verbose) {
            // the quiet configuration's few loggers held at ERROR (Spark's and Hadoop's, logback.xml) speak too
            root.getLoggerContext().getLoggerList().stream().filter(l -> l != root && Level.ERROR.equals(l.getLevel())).forEach(l -> l.setLevel(null));
        }
        Main.verbose = verbose;
    }
}
