package io.rnnkit.config;

@Doc("A rolling-origin backtest over the test part of a series: origin k is the k-th test window's first target (per series, for many).")
public record BacktestConfig(
        @Doc("How many forecast origins, from the start of the test part on, or all that the test part holds (step apart).")
        @Default("all") @Pattern(value = "all|[1-9][0-9]{0,8}", hint = "a positive number of origins (below a billion) or all") String origins,
        @Doc("Steps between consecutive origins (a multiple of data.window.stride).") @Default("1") @Range(min = 1) int step,
        @Doc("Steps ahead scored from each origin; at most the model's data.window.horizon, which it is by default.")
        @Optional @Range(min = 1) Integer horizon,
        @Doc("0: the model trained once on the data before the first origin forecasts from every origin; K > 0: the model is trained"
                + " again on every window whose targets lie before the origin, every K origins (from the second block on).")
        @Default("0") @Range(min = 0) int refitEvery) {
    public BacktestConfig {
        Constraints.check(BacktestConfig.class, origins, step, horizon, refitEvery);
    }

    /** The number of origins asked for, or -1 for all. */
    public int originCount() {
        return origins.equals("all") ? -1 : Integer.parseInt(origins);
    }
}
