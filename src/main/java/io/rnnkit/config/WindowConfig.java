package io.rnnkit.config;

@Doc("How a long series is cut into training windows (format: series).")
public record WindowConfig(
        @Doc("Steps of history each window feeds the network.") @Default("12") @Range(min = 1) int lookback,
        @Doc("Steps ahead to forecast at once (direct multi-step forecast).") @Default("1") @Range(min = 1) int horizon,
        @Doc("Steps between the starts of consecutive windows.") @Default("1") @Range(min = 1) int stride) {
    public WindowConfig {
        Constraints.check(WindowConfig.class, lookback, horizon, stride);
    }
}
