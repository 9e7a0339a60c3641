package io.rnnkit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.AtomicFiles;
import io.rnnkit.train.RunDirectory;
import io.rnnkit.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code report.html} for a run directory: one self-contained page (no network, no files beside it) with the
 * run's status, its metrics per split, its figures embedded as {@code data:} URIs, the provenance recorded in
 * {@code model.zip} and the resolved config. It reads only the files of the run directory (docs/architecture.md, "The run directory"), so
 * it works on any run, including one copied from another machine.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    private static final String PROVENANCE = "rnnkit/provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {
    }

    /** Writes {@code report.html} into the run directory and returns its path. */
    public static Path write(Path run) {
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new BadInputException(run + ": not a run directory (no config.yaml)");
        }
        try {
            String html = html(run);
            Path file = run.resolve(FILE);
            AtomicFiles.write(file, html.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new BadInputException(run + ": cannot read the run directory: " + e.getMessage());
        }
    }

    static String html(Path run) throws IOException {
        String config = Files.readString(run.resolve("config.yaml"));
        RunDirectory.RunStatus status = RunDirectory.status(run); // a killed run's stale "running" reads as interrupted
        JsonNode metrics = readJson(run.resolve("metrics.json"));
        JsonNode provenance = provenance(run.resolve("model.zip"));
        String name = provenance != null && provenance.has("experiment") ? provenance.get("experiment").asText() : run.getFileName().toString();

        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rnnkit run ").append(esc(name)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}img{max-width:100%;border:1px solid #eee;margin:.5em 0}")
                .append("pre{background:#f6f6f6;padding:1em;overflow:auto}.failed,.interrupted{color:#b00}.completed{color:#070}</style></head>\n")
                .append("<body data-images=\"pending\">\n<h1>rnnkit run: ").append(esc(name)).append("</h1>\n")
                .append("<p>Run directory <code>").append(esc(run.toAbsolutePath().normalize().toString())).append("</code></p>\n");
        if (status != null) {
            String s = status.status();
            h.append("<p>Status: <strong class=\"").append(esc(s)).append("\">").append(esc(s)).append("</strong> after ")
                    .append(status.epochsDone()).append(" epoch(s)");
            if (status.message() != null) {
                h.append(" — ").append(esc(status.message()));
            }
            h.append("</p>\n");
        }
        h.append("<h2>Metrics</h2>\n");
        if (metrics == null) {
            h.append("<p>No metrics.json: the run did not finish.</p>\n");
        } else {
            h.append(metricsTable(metrics));
            if (metrics.has("ensemble")) {
                h.append(membersTable(metrics.get("ensemble")));
            }
            if (metrics.has("crossValidation")) {
                h.append(crossValidationTable(metrics.get("crossValidation")));
            }
            if (metrics.has("anomaly")) {
                h.append(anomalyTable(metrics.get("anomaly")));
            }
        }
        h.append("<h2>Figures</h2>\n");
        List<Path> plots = plots(run.resolve("plots"));
        if (plots.isEmpty()) {
            h.append("<p>No figures in plots/.</p>\n");
        }
        for (Path png : plots) {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
            h.append("<figure><img alt=\"").append(esc(png.getFileName().toString())).append("\" src=\"data:image/png;base64,")
                    .append(data).append("\"><figcaption>").append(esc(png.getFileName().toString())).append("</figcaption></figure>\n");
        }
        h.append("<h2>Provenance</h2>\n");
        h.append(provenance == null ? "<p>No model.zip (or no provenance in it).</p>\n"
                : "<pre>" + esc(provenance.toPrettyString()) + "</pre>\n");
        h.append("<h2>Config</h2>\n<pre>").append(esc(config)).append("</pre>\n");
        // marks how many figures the browser decoded, so a reader (or a test) sees at once whether any are broken
        h.append("<script>window.addEventListener('load',function(){var i=document.images,ok=0;")
                .append("for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)ok++;}")
                .append("document.body.setAttribute('data-images',ok+'/'+i.length);});</script>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String metricsTable(JsonNode metrics) {
        // metrics.json also holds "numerics" beside the splits: the table has one row per split only
        Map<String, JsonNode> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "validation", "test")) {
            if (metrics.has(split)) {
                splits.put(split, metrics.get(split));
            }
        }
        return figuresTable("split", splits);
    }

    /** An ensemble's test figures: each member's (its own run, in members/N/), their mean, and the ensemble's. */
    static String membersTable(JsonNode ensemble) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (JsonNode member : ensemble.path("members")) {
            rows.put("member " + member.path("index").asText() + " (seed " + member.path("seed").asText() + ")", member.path("test"));
        }
        rows.put("members' mean", ensemble.path("memberTestMean"));
        rows.put("ensemble", ensemble.path("test"));
        return "<h3>Ensemble: test split</h3>\n" + figuresTable("model", rows);
    }

    /** A table of one row per named set of figures, a column per figure any row has. */
    private static String figuresTable(String first, Map<String, JsonNode> splits) {
        Set<String> names = new LinkedHashSet<>();
        splits.values().forEach(split -> split.fieldNames().forEachRemaining(n -> {
            if (split.get(n).isNumber() || split.get(n).isNull()) { // null: a metric the split leaves undefined
                names.add(n);
            }
        }));
        StringBuilder t = new StringBuilder("<table><tr><th>" + esc(first) + "</th>");
        names.forEach(n -> t.append("<th>").append(esc(n)).append("</th>"));
        t.append("</tr>\n");
        for (Map.Entry<String, JsonNode> split : splits.entrySet()) {
            t.append("<tr><td>").append(esc(split.getKey())).append("</td>");
            for (String n : names) {
                JsonNode v = split.getValue().get(n);
                String reason = split.getValue().path(n + "_undefined").asText("");
                t.append("<td").append(reason.isEmpty() ? "" : " title=\"" + esc(reason) + "\"").append(">")
                        .append(v == null ? "" : v.isNumber() ? String.format(Locale.ROOT, "%.4f", v.asDouble()) : "undefined").append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** Cross-validation's choice, then per validation metric its mean, standard deviation and value on each fold. */
    static String crossValidationTable(JsonNode cv) {
        StringBuilder t = new StringBuilder("<h3>Cross-validation</h3>\n<p>").append(cv.path("folds").asInt()).append(" folds of the training data chose ")
                .append(cv.path("epochs").asInt()).append(" epochs (validation ").append(esc(cv.path("metric").asText())).append(" smoothed over ")
                .append(cv.path("smoothing").asInt()).append("); the model was then fitted on all the training data.</p>\n<table><tr><th>metric</th><th>mean</th><th>sd</th>");
        for (int f = 1; f <= cv.path("folds").asInt(); f++) {
            t.append("<th>fold ").append(f).append("</th>");
        }
        t.append("</tr>\n");
        cv.path("metrics").fields().forEachRemaining(e -> {
            t.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(figure(e.getValue().get("mean"))).append("</td><td>")
                    .append(figure(e.getValue().get("std"))).append("</td>");
            e.getValue().path("perFold").forEach(v -> t.append("<td>").append(figure(v)).append("</td>"));
            t.append("</tr>\n");
        });
        return t.append("</table>\n").toString();
    }

    private static String figure(JsonNode v) {
        return v == null || !v.isNumber() ? "" : String.format(Locale.ROOT, "%.4f", v.asDouble());
    }

    /** An anomaly detector's figures: one row per detector (rnnkit's, then the simple ones) and the semi-supervised one. */
    static String anomalyTable(JsonNode anomaly) {
        List<String> columns = List.of("threshold", "flaggedSteps", "windowsDetected", "windows", "falsePositiveEvents", "meanDelaySteps",
                "precision", "recall", "f1", "nabStandard");
        StringBuilder t = new StringBuilder("<h3>Anomaly detection</h3>\n<p>").append(anomaly.path("steps").asInt())
                .append(" steps; threshold chosen on the first ").append(anomaly.path("trainingSteps").asInt())
                .append(", the first ").append(anomaly.path("probationSteps").asInt()).append(" not scored.</p>\n<table><tr><th>detector</th>");
        columns.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
        t.append("</tr>\n");
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        anomaly.path("detectors").fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue()));
        if (anomaly.has("semiSupervised")) {
            rows.put("semi-supervised (not the saved model)", anomaly.get("semiSupervised"));
        }
        rows.forEach((name, row) -> {
            t.append("<tr><td>").append(esc(name)).append("</td>");
            for (String c : columns) {
                JsonNode v = row.get(c);
                t.append("<td>").append(v == null || v.isNull() ? "" : v.isInt() ? Integer.toString(v.asInt())
                        : String.format(Locale.ROOT, "%.4f", v.asDouble())).append("</td>");
            }
            t.append("</tr>\n");
        });
        return t.append("</table>\n").toString();
    }

    private static List<Path> plots(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".png")).sorted().toList());
        }
    }

    private static JsonNode readJson(Path file) throws IOException {
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
    }

    private static JsonNode provenance(Path bundle) throws IOException {
        if (!Files.isRegularFile(bundle)) {
            return null;
        }
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            ZipEntry e = zip.getEntry(PROVENANCE);
            return e == null ? null : JSON.readTree(zip.getInputStream(e));
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
