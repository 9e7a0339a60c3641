package io.rnnkit.config;

import java.util.List;

@Doc("Columns of a long series in a CSV file with a header (format: series).")
public record SeriesConfig(
        @Doc("Name of the time column; its values must increase.") @Optional String timeColumn,
        @Doc("java.time pattern of the time column, such as yyyy-MM or yyyy-MM-dd.") @Optional String timeFormat,
        @Doc("Value columns used as input features; when empty, every column but the time column.") @Default("[]") List<String> valueColumns,
        @Doc("The column to forecast; when absent, the first value column.") @Optional String target,
        @Doc("Length of the season in steps (12 for monthly data with a yearly cycle); the seasonal-naive baseline and MASE use it, reading the series itself, so it may exceed the lookback; the first window starts a whole season into the series. 1: no season.")
        @Default("1") @Range(min = 1) int seasonalPeriod) {
    public SeriesConfig {
        valueColumns = valueColumns == null ? null : List.copyOf(valueColumns);
        Constraints.check(SeriesConfig.class, timeColumn, timeFormat, valueColumns, target, seasonalPeriod);
    }
}
