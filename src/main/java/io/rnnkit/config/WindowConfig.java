package io.rnnkit.config;

@Doc("How a long series is cut into training windows (format: series).")
public record WindowConfig(
        @Doc("Steps of history each window feeds the network.") @Default("12") @Range(min = 1) int lookback,
        @Doc("Steps ahead to forecast: at once (strategy: direct) or one fed-back step at a time (strategy: recursive).") @Default("1") @Range(min = 1) int horizon,
        @Doc("Steps between the starts of consecutive windows.") @Default("1") @Range(min = 1) int stride,
        @Doc("none, difference or log-ratio: inputs and targets measured against each window's last observation, so a trending series stays in the range the network was trained on; forecasts are turned back into levels for the metrics.")
        @Default("none") WindowReference reference,
        @Doc("direct (all horizon values from one network call) or recursive (a next-step model trained on every step of"
                + " windows of lookback + horizon - 1 observations; its forecasts are fed back one step at a time with"
                + " rnnTimeStep). Recursive needs the target as the only value column and reference: none.")
        @Default("direct") ForecastStrategy strategy,
        @Doc("A series tagged per step (data.labels.windows): the steps of each training chunk, which start stride apart; validation and test are cut into consecutive chunks of this length. A chunk that a part's end or an unfilled gap cuts short is padded and its padding masked.")
        @Optional @Range(min = 1) Integer length) {
    public WindowConfig {
        Constraints.check(WindowConfig.class, lookback, horizon, stride, reference, strategy, length);
    }

    public boolean recursive() {
        return strategy == ForecastStrategy.RECURSIVE;
    }
}
