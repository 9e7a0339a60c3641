package io.rnnkit.config;

@Doc("How a long series is cut into training windows (format: series).")
public record WindowConfig(
        @Doc("Steps of history each window feeds the network.") @Default("12") @Range(min = 1) int lookback,
        @Doc("Steps ahead to forecast at once (direct multi-step forecast).") @Default("1") @Range(min = 1) int horizon,
        @Doc("Steps between the starts of consecutive windows.") @Default("1") @Range(min = 1) int stride,
        @Doc("none, difference or log-ratio: inputs and targets measured against each window's last observation, so a trending series stays in the range the network was trained on; forecasts are turned back into levels for the metrics.")
        @Default("none") WindowReference reference) {
    public WindowConfig {
        Constraints.check(WindowConfig.class, lookback, horizon, stride, reference);
    }
}
