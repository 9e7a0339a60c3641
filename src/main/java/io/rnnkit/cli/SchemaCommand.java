package io.rnnkit.cli;

import io.rnnkit.config.ConfigSchema;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "schema", description = "Print the JSON Schema of experiment configs (committed as docs/config.schema.json).")
final class SchemaCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ConfigSchema.json());
        return 0;
    }
}
