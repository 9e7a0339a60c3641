package io.rnnkit.config;

@Doc("Evaluation beyond the metrics of each split.")
public record EvaluationConfig(
        @Doc("Rolling-origin backtest of a forecaster over the test part of its series (rnnkit backtest, or rnnkit train with this section):"
                + " forecasts from many origins, scored per origin and per horizon step beside the naive and seasonal-naive forecasts"
                + " from the same origins.") @Optional BacktestConfig backtest) {
    public EvaluationConfig {
        Constraints.check(EvaluationConfig.class, backtest);
    }
}
