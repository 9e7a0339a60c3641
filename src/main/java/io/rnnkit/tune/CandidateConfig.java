package io.rnnkit.tune;

import io.rnnkit.config.SearchSetting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of {@link ConfigSpace}: one candidate as the settings that turn the experiment's config into the
 * candidate's config ({@link io.rnnkit.config.ConfigSource#candidate}), and the same values by column name.
 */
public record CandidateConfig(List<SearchSetting> settings) implements java.io.Serializable {
    public CandidateConfig {
        settings = List.copyOf(settings);
    }

    /** Column name (the path, or {@code count(path)}) to value, in the order of the search space. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        for (SearchSetting s : settings) {
            out.put(column(s.path(), s.count()), s.value());
        }
        return out;
    }

    static String column(String path, boolean count) {
        return count ? "count(" + path + ")" : path;
    }

    /** The candidate as {@code --set} arguments and counts, such as {@code model.layers[*].units=48 model.layers count=2}. */
    @Override
    public String toString() {
        return String.join(" ", settings.stream().map(SearchSetting::toString).toList());
    }
}
