package io.rnnkit.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves data paths written in configs. {@code ${datasets}} stands for the folder of public datasets:
 * the environment variable {@code RNNKIT_DATASETS}, else the system property {@code rnnkit.datasets}, else
 * the first of {@code ../shared/datasets} and {@code datasets/downloads} (where {@code datasets/fetch.sh}
 * puts them) that exists. Relative paths are taken from the working directory, like any command-line path.
 */
public final class DataPaths {
    public static final String VARIABLE = "${datasets}";

    private DataPaths() {
    }

    public static Path datasetsRoot() {
        String env = System.getenv("RNNKIT_DATASETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String property = System.getProperty("rnnkit.datasets");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        for (Path candidate : List.of(Path.of("../shared/datasets"), Path.of("datasets/downloads"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("datasets/downloads");
    }

    public static Path resolve(String raw) {
        if (raw.contains(VARIABLE)) {
            return Path.of(raw.replace(VARIABLE, datasetsRoot().toString())).normalize();
        }
        return Path.of(raw);
    }

    /** A sentence on where a missing file was looked for and how to get it. */
    public static String missingHint(String raw) {
        if (raw.contains(VARIABLE)) {
            return " (" + VARIABLE + " is " + datasetsRoot().toAbsolutePath().normalize()
                    + "; fetch the public datasets with datasets/fetch.sh, or point RNNKIT_DATASETS at a copy)";
        }
        return " (relative paths are taken from the working directory " + Path.of("").toAbsolutePath() + ")";
    }
}
