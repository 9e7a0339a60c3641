package io.rnnkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.YamlTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inspect", description = "Show what a bundle holds: its format, input contract, provenance and config.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Bundle.Manifest manifest = Bundle.verify(model);
        Bundle bundle = Bundle.read(model);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(model + ": rnnkit bundle, format version " + manifest.formatVersion() + ", "
                + manifest.entries().size() + " entries, all checksums valid");
        System.out.println("network: " + bundle.network().getnLayers() + " layers, " + bundle.network().numParams() + " parameters");
        System.out.println("contract: " + json.writeValueAsString(bundle.contract()));
        System.out.println("provenance: " + json.writeValueAsString(bundle.provenance()));
        System.out.println("config:\n" + YamlTrees.toYaml(bundle.config()));
        return 0;
    }
}
