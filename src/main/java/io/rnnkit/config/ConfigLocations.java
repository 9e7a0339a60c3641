package io.rnnkit.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each YAML path of a loaded config came from, so that checks made long after parsing (data files,
 * sequence lengths, the search space) still point at the line a user has to change.
 */
public final class ConfigLocations {
    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, String> overrides = new HashMap<>();

    public ConfigLocations(String source) {
        this.source = source;
    }

    /** For configs built in code rather than read from a file. */
    public static ConfigLocations inMemory() {
        return new ConfigLocations("<config>");
    }

    public String source() {
        return source;
    }

    void recordLine(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    void recordOverride(String path, String text) {
        overrides.put(path, text);
    }

    /** {@code file:line} of the path, its nearest recorded ancestor's, or {@code --set path=value}. */
    public String locate(String path) {
        // a value under an override came from it, though its fragment's nodes have lines (line 1 of the fragment)
        for (String p = path; ; p = parent(p)) {
            String override = overrides.get(p);
            if (override != null) {
                return "--set " + override;
            }
            if (p.isEmpty()) {
                break;
            }
        }
        for (String p = path; ; p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return source + ":" + line;
            }
            if (p.isEmpty()) {
                return source;
            }
        }
    }

    public Problem problem(String path, String message) {
        return new Problem(locate(path), path, message);
    }

    /** Throws a {@link ConfigException} for one problem at the given path. */
    public ConfigException error(String path, String message) {
        return new ConfigException(List.of(problem(path, message)));
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
