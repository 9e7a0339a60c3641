package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.Versions;
import io.rnnkit.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code rnnkit}: the command line (docs/architecture.md, "The command line"). The only place that prints for people and picks exit
 * codes: 0 success; 2 bad input (config, data, arguments, bundle), one clear message per fault and no
 * stack trace unless {@code --verbose}; 1 anything else.
 */
// scope INHERIT: every subcommand takes -h/--help and -V/--version too
@Command(name = "rnnkit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, scope = CommandLine.ScopeType.INHERIT,
        description = "Recurrent neural networks on Deeplearning4j, configured in YAML.",
        subcommands = {InitCommand.class, ValidateCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class, TranslateCommand.class,
                GenerateCommand.class, BacktestCommand.class, InspectCommand.class, ReportCommand.class, DiagnoseCommand.class, TuneCommand.class, SchemaCommand.class,
                BenchCommand.class, SynthCommand.class, SignCommand.class, KeygenCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static volatile boolean verbose;

    public static void main(String[] args) {
        int code = run(args);
        if (Boolean.getBoolean("rnnkit.stderrFilter")) {
            awaitStderrFilter();
        }
        System.exit(code);
    }

    /**
     * The {@code ./rnnkit} launcher execs this JVM with stderr piped through a filter process, which is thus this
     * JVM's child. Exiting at once could leave the last messages (an exit-2 error) in the pipe while the caller,
     * who waits on this PID, already reads its stderr. So: close stderr (the filter reads its end) and wait for
     * the filter to finish.
     */
    private static void awaitStderrFilter() {
        System.err.flush();
        System.err.close();
        ProcessHandle.current().children().forEach(child -> {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // a filter that does not end is not worth holding the exit for
            }
        });
    }

    /** Runs the command line and returns its exit code (without exiting, for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof BadInputException) {
                err.println("error: " + e.getMessage());
                if (verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                return 2;
            }
            if (e instanceof TrainingDivergedException) {
                // not bad input (docs/architecture.md, "The command line"): the run failed; its status.json and checkpoint say where
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
            err.println("rnnkit: unexpected error: " + e);
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return 1;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the heap is full: say what to do in one line, not a stack trace (docs/architecture.md, "Data bigger than memory")
            System.err.println("error: out of memory (the Java heap is " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): " + e.getMessage()
                    + ". Data larger than the heap can take the streaming path (data.streaming: {enabled: always}; every layout read from files streams);"
                    + " else give Java more heap (RNNKIT_JAVA_OPTS=-Xmx... for ./rnnkit) or a smaller training.batchSize.");
            return 2;
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"rnnkit " + Versions.rnnkit() + " (Deeplearning4j " + Versions.dl4j() + ", Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
