package io.rnnkit.config;

import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "", "no such config file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), "", "cannot read the config file: " + e.getMessage())));
        }
        return parse(text, file.toString(), overrides);
    }

    public static LoadedConfig parse(String yaml, String source, List<String> overrides) {
        return parse(yaml, source, overrides, true);
    }

    /**
     * A config saved inside a bundle: checked by every rule except that its data files exist, since a model
     * is used on machines that never had its training data.
     */
    public static ExperimentConfig parseWithoutFileChecks(String yaml, String source) {
        return parse(yaml, source, List.of(), false).config();
    }

    private static LoadedConfig parse(String yaml, String source, List<String> overrides, boolean checkFiles) {
        ConfigLocations locations = new ConfigLocations(source);
        Node root = YamlTrees.parse(yaml, source);
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(List.of(new Problem("--set " + override, "", "expected path=value, such as training.epochs=5")));
            }
            YamlTrees.set(root, override.substring(0, eq).trim(), override.substring(eq + 1), locations);
        }
        RecordBinder binder = new RecordBinder(locations);
        ExperimentConfig config = binder.bind(ExperimentConfig.class, root, "");
        List<Problem> problems = new ArrayList<>(binder.problems());
        if (config != null) {
            problems.addAll(ConfigRules.check(config, locations, checkFiles));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new LoadedConfig(config, locations);
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
