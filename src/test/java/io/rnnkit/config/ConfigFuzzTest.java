package io.rnnkit.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rnnkit.Fuzzing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing of the config loader (README, Fuzzing): a config file's bytes, and {@code --set}
 * overrides on a valid config, must load or be refused with a {@link ConfigException} naming the file or the
 * override. Regression mode (every test run) replays the inputs in {@code ConfigFuzzTestInputs/<method>/}.
 */
class ConfigFuzzTest {
    /** The config every override input is applied to. */
    private static final String BASE = Yaml.MINIMAL;

    /** The input is a config file, loaded as {@code rnnkit validate FILE} loads it. */
    @FuzzTest(maxDuration = "5m")
    void yaml(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        Path file = Fuzzing.write("fuzz.yaml", input);
        Fuzzing.resultOrRefusal(() -> ConfigLoader.load(file, List.of()), file.toString());
    }

    /** The input is one {@code --set path=value} a line, applied to {@link Yaml#MINIMAL}. */
    @FuzzTest(maxDuration = "5m")
    void overrides(byte[] input) {
        if (input.length > Fuzzing.MAX_INPUT) {
            return;
        }
        List<String> overrides = new String(input, StandardCharsets.UTF_8).lines().toList();
        Fuzzing.resultOrRefusal(() -> ConfigLoader.parse(BASE, "base.yaml", overrides), "base.yaml", "--set");
    }
}
