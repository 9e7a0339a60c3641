package io.rnnkit.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A config as written: its YAML text, where it came from, and the {@code --set} overrides given with it. A search
 * makes every candidate from it by applying the candidate's settings after the overrides, through the same
 * tree edits and binding as the file itself.
 */
public record ConfigSource(String yaml, String source, List<String> overrides) {
    public ConfigSource {
        overrides = List.copyOf(overrides);
    }

    public static ConfigSource read(Path file, List<String> overrides) {
        try {
            return new ConfigSource(Files.readString(file, StandardCharsets.UTF_8), file.toString(), overrides);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "", "no such config file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "", "cannot read the config file: " + e.getMessage())));
        }
    }

    /** The config itself, search section included and checked. */
    public LoadedConfig load() {
        return ConfigLoader.parse(yaml, source, overrides);
    }

    /**
     * The config of one search candidate: the settings applied after the overrides (counts first, so that
     * {@code [*]} paths reach every entry), the search section dropped, and every rule checked.
     */
    public LoadedConfig candidate(List<SearchSetting> settings) {
        return ConfigLoader.candidate(this, settings);
    }
}
