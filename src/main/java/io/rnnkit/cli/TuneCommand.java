package io.rnnkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.BadInputException;
import io.rnnkit.config.ConfigSource;
import io.rnnkit.config.ExecutorConfig;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.config.SearchConfig;
import io.rnnkit.config.YamlNames;
import io.rnnkit.train.EpochRecord;
import io.rnnkit.train.RunDirectory;
import io.rnnkit.tune.CandidateConfig;
import io.rnnkit.tune.Search;
import io.rnnkit.tune.SearchListener;
import io.rnnkit.tune.SearchUi;
import io.rnnkit.tune.TrialRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "tune", description = "Search the hyperparameters the config's search section names; run it again on the same --out to resume.")
final class TuneCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The experiment YAML file, with a search section.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Search directory; an existing search of the same config there is resumed."
            + " Default output.dir or runs/<name>-search-<time>.")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train the candidates as Spark tasks on this master (local[N],"
            + " spark://HOST:PORT, yarn, k8s://URL), as search.executor.spark says; ./rnnkit then puts Spark's jars on the class path."
            + " A search started elsewhere resumes here.")
    String spark;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    UiOptions ui;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        common.apply();
        ConfigSource source = ConfigSource.read(config, overrides.values);
        LoadedConfig loaded = source.load();
        SearchConfig search = loaded.config().search();
        Path dir = out != null ? out : loaded.config().output().dir() != null ? Path.of(loaded.config().output().dir())
                : RunDirectory.defaultFor(loaded.config().name() + "-search");
        if (search != null) {
            System.out.println("tuning " + loaded.config().name() + " → " + dir + ": " + YamlNames.of(search.algorithm()) + " search, up to "
                    + search.maxCandidates() + " candidates" + (search.maxMinutes() > 0 ? " or " + fmt(search.maxMinutes()) + " min" : "")
                    + ", scored on " + YamlNames.of(search.split()) + " " + YamlNames.of(search.metric())
                    + (search.pruner() != null ? ", pruning " + String.join(" and ", search.pruner().rules().stream().map(YamlNames::of).toList()) : "")
                    + (search.parallelism() > 1 ? ", " + search.parallelism() + " at a time" : "")
                    + (spark != null ? " on Spark " + spark : search.executor() != null ? " on Spark " + search.executor().spark() : ""));
        }
        ExecutorConfig executor = spark == null ? null : Search.onSpark(source, spark);
        if (ui.ui && (executor != null || search != null && search.executor() != null)) {
            // measured: Vert.x 3.9 on Spark's netty 4.1.96 never answers; Spark fails on the UI's 4.1.48
            throw new BadInputException("--ui: the Deeplearning4j UI and Spark need two versions of netty, which cannot share a JVM;"
                    + " a search on Spark shows Spark's own UI instead: search.executor.ui: true");
        }
        SearchPrinter printer = new SearchPrinter(System.out, System.console() != null && System.getenv("CI") == null);
        Search.Outcome outcome;
        if (ui.ui) {
            try (SearchUi searchUi = SearchUi.start(ui.host, ui.port())) {
                System.out.println("Arbiter UI: " + searchUi.address());
                outcome = Search.run(source, dir, executor, printer, searchUi.listener());
            }
        } else {
            outcome = Search.run(source, dir, executor, printer);
        }
        printer.clearLine();
        System.out.println();
        leaderboard(System.out, outcome);
        if (outcome.best() == null) {
            System.out.println("no candidate finished with a score; trials.csv says why");
            return 1;
        }
        System.out.println("best: #" + outcome.best().id() + "  " + outcome.scoredOn() + " " + fmt(outcome.best().score()));
        JsonNode metrics = new ObjectMapper().readTree(outcome.bestDirectory().resolve("metrics.json").toFile());
        for (String split : List.of("train", "validation", "test")) {
            JsonNode m = metrics.get(split);
            if (m != null) {
                StringBuilder line = new StringBuilder(String.format("  %-10s", split));
                m.fields().forEachRemaining(e -> {
                    if (e.getValue().isNumber()) {
                        line.append(String.format(Locale.ROOT, " %s=%.4f", e.getKey(), e.getValue().asDouble()));
                    }
                });
                System.out.println(line);
            }
        }
        System.out.println("search directory: " + dir + " (trials.csv; best/ is the best candidate's run directory with its model.zip)");
        return 0;
    }

    static void leaderboard(PrintStream out, Search.Outcome outcome) {
        List<String> columns = new ArrayList<>();
        outcome.ranked().forEach(t -> t.values().keySet().forEach(k -> {
            if (!columns.contains(k)) {
                columns.add(k);
            }
        }));
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("rank", "id", "score", "status", "epochs", "seconds"));
        head.addAll(columns);
        rows.add(head);
        int rank = 1;
        for (TrialRecord t : outcome.ranked()) {
            List<String> row = new ArrayList<>(List.of(t.scored() ? Integer.toString(rank++) : "-", "#" + t.id(),
                    t.scored() ? fmt(t.score()) : "-", t.status(), Integer.toString(t.epochs()), String.format(Locale.ROOT, "%.1f", t.seconds())));
            columns.forEach(c -> row.add(t.values().getOrDefault(c, "")));
            rows.add(row);
        }
        int[] widths = new int[head.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        out.println("leaderboard (" + outcome.ranked().size() + " candidates, " + outcome.scoredOn() + ", "
                + duration(outcome.seconds()) + " of search):");
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.size(); i++) {
                line.append(' ').append(String.format("%-" + widths[i] + "s", r.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        outcome.ranked().stream().filter(t -> t.reason() != null).forEach(t -> out.println("  #" + t.id() + " " + t.status() + ": " + t.reason()));
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String duration(double seconds) {
        if (Double.isNaN(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /**
     * The live progress line: on a terminal the training candidate's epoch redraws in place; every ended candidate
     * gets one line (done/budget, its score and status, best so far, elapsed, time left).
     */
    static final class SearchPrinter implements SearchListener {
        private final PrintStream out;
        private final boolean terminal;
        private boolean dirty;

        SearchPrinter(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public synchronized void epoch(int candidate, EpochRecord record, int epochs) {
            if (terminal) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "\r  #%d epoch %d/%d train_loss %.4f", candidate, record.epoch(), epochs,
                        record.trainLoss()));
                record.validation().entrySet().stream().filter(e -> !e.getKey().contains("naive")).sorted(Map.Entry.comparingByKey())
                        .forEach(e -> line.append(String.format(Locale.ROOT, " val_%s %.4f", e.getKey(), e.getValue())));
                out.print(line + "   ");
                out.flush();
                dirty = true;
            }
        }

        @Override
        public synchronized void started(int candidate, CandidateConfig config) {
            if (terminal) {
                clearLine();
                out.print("  #" + candidate + " " + config);
                out.flush();
                dirty = true;
            }
        }

        @Override
        public synchronized void finished(TrialRecord r, boolean resumed, SearchProgress p) {
            clearLine();
            String width = Integer.toString(Integer.toString(p.budget()).length());
            out.printf(Locale.ROOT, "[%" + width + "d/%d] #%d %s%s  %s  best %s  elapsed %s  eta %s  %s%n", p.done(), p.budget(), r.id(),
                    r.status(), resumed ? " (earlier session)" : "", r.scored() ? "score " + fmt(r.score()) : "no score",
                    p.best() == null ? "-" : fmt(p.best().score()) + " (#" + p.best().id() + ")", duration(p.elapsedSeconds()),
                    duration(p.etaSeconds()), r.values());
            out.flush();
        }

        @Override
        public synchronized void note(String message) {
            clearLine();
            out.println(message);
            out.flush();
        }

        synchronized void clearLine() {
            if (dirty) {
                out.print("\r" + " ".repeat(140) + "\r");
                dirty = false;
            }
        }
    }
}
