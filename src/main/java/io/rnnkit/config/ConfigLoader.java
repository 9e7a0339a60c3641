package io.rnnkit.config;

import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one place YAML becomes an {@link ExperimentConfig}: parse, apply {@code --set} overrides, bind to
 * records, then check the rules that span several fields. Every problem found is reported at once, each
 * with its file, line and YAML path, as a {@link ConfigException}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static LoadedConfig load(Path file, List<String> overrides) {
        return ConfigSource.read(file, overrides).load();
    }

    public static LoadedConfig parse(String yaml, String source, List<String> overrides) {
        return parse(new ConfigSource(yaml, source, overrides), List.of(), true);
    }

    /**
     * A config saved inside a bundle: checked by every rule except that its data files exist, since a model
     * is used on machines that never had its training data.
     */
    public static ExperimentConfig parseWithoutFileChecks(String yaml, String source) {
        return parse(new ConfigSource(yaml, source, List.of()), List.of(), false).config();
    }

    /**
     * The config saved inside a bundle, bound to records without the cross-field rules of training
     * ({@link ConfigRules}, the search rules): those decided whether a run could start, and the run was made, so a
     * rule added to a later rnnkit must not refuse an older model. What a loaded model needs of its config is
     * read through its {@link Task} (docs/architecture.md, "Loading a bundle").
     */
    public static ExperimentConfig parseSaved(String yaml, String source) {
        ConfigLocations locations = new ConfigLocations(source);
        RecordBinder binder = new RecordBinder(locations);
        ExperimentConfig config = binder.bind(ExperimentConfig.class, YamlTrees.parse(yaml, source), "");
        if (!binder.problems().isEmpty()) {
            throw new ConfigException(binder.problems());
        }
        return config;
    }

    static LoadedConfig candidate(ConfigSource source, List<SearchSetting> settings) {
        return parse(source, settings, true);
    }

    private static LoadedConfig parse(ConfigSource source, List<SearchSetting> settings, boolean checkFiles) {
        ConfigLocations locations = new ConfigLocations(source.source());
        Node root = tree(source, settings, locations);
        RecordBinder binder = new RecordBinder(locations);
        ExperimentConfig config = binder.bind(ExperimentConfig.class, root, "");
        List<Problem> problems = new ArrayList<>(binder.problems());
        if (config != null) {
            problems.addAll(ConfigRules.check(config, locations, checkFiles));
            if (config.search() != null && problems.isEmpty()) {
                problems.addAll(SearchRules.check(config, locations, setting -> bindingProblems(source, setting)));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LoadedConfig(config, locations);
    }

    /** The YAML tree with the overrides and then the settings applied; with settings, the search section is dropped. */
    private static Node tree(ConfigSource source, List<SearchSetting> settings, ConfigLocations locations) {
        Node root = YamlTrees.parse(source.yaml(), source.source());
        for (String override : source.overrides()) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(List.of(new Problem("--set " + override, "", "expected path=value, such as training.epochs=5")));
            }
            YamlTrees.set(root, override.substring(0, eq).trim(), override.substring(eq + 1), locations);
        }
        if (!settings.isEmpty()) {
            for (SearchSetting s : settings.stream().sorted(Comparator.comparing(s -> !s.count())).toList()) {
                if (s.count()) {
                    YamlTrees.resize(root, s.path(), Integer.parseInt(s.value()), locations);
                } else {
                    YamlTrees.set(root, s.path(), s.value(), locations);
                }
            }
            YamlTrees.set(root, "search", "null", new ConfigLocations(source.source()));
        }
        return root;
    }

    /** What binding the config finds wrong once one setting is applied (the field-level check of a search dimension). */
    private static List<Problem> bindingProblems(ConfigSource source, SearchSetting setting) {
        ConfigLocations locations = new ConfigLocations(source.source());
        try {
            Node root = tree(source, List.of(setting), locations);
            RecordBinder binder = new RecordBinder(locations);
            binder.bind(ExperimentConfig.class, root, "");
            return binder.problems();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** Checks a config built in code by the same rules as one read from YAML. */
    public static LoadedConfig of(ExperimentConfig config) {
        ConfigLocations locations = ConfigLocations.inMemory();
        List<Problem> problems = ConfigRules.check(config, locations, true);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LoadedConfig(config, locations);
    }
}
