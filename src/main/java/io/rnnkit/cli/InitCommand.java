package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.data.StarterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "init", description = "Write a starting config for a data file (format, delimiter, header, label column, classes, layout;"
        + " each guess commented), which rnnkit validate accepts as it is.")
final class InitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DATAFILE", description = "The data file: delimited numbers (CSV and the like), lines of text with a label, .ts or .arff.")
    String data;

    @Option(names = "--out", paramLabel = "CONFIG", description = "Where to write the config (must not exist); default <file name>.yaml here.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        String yaml = StarterConfig.draft(Path.of(data), data);
        Path target = out != null ? out : Path.of(yaml.lines().filter(l -> l.startsWith("name: ")).findFirst().orElseThrow().substring(6) + ".yaml");
        if (Files.exists(target)) {
            throw new BadInputException(target + ": already exists; give another --out (rnnkit init never overwrites a config)");
        }
        try {
            Files.writeString(target, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(target + ": cannot write the config: " + e.getMessage());
        }
        System.out.print(yaml);
        System.out.println();
        System.out.println("wrote " + target + "; next: rnnkit validate " + target + ", then rnnkit train " + target);
        return 0;
    }
}
