package io.rnnkit.config;

@Doc("Where the run is written.")
public record OutputConfig(
        @Doc("Run directory; when absent, runs/<name>-<timestamp>. Must not exist or be empty.") @Optional String dir) {
    public OutputConfig {
        Constraints.check(OutputConfig.class, dir);
    }
}
