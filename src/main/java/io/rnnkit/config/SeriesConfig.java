package io.rnnkit.config;

import java.util.List;

@Doc("Columns of a long series in a CSV file with a header (format: series).")
public record SeriesConfig(
        @Doc("Name of the time column; it is always checked: parsed with timeFormat, else as an ISO-8601 date or date-time, a year-quarter (1998 Q1), an ISO week (2020-W05) or a plain number.") @Optional String timeColumn,
        @Doc("java.time pattern of the time (of timeColumns joined by a space), such as yyyy-MM, yyyy-MM-dd or dd/MM/yyyy HH.mm.ss; yyyy 'Q'q reads quarters.") @Optional String timeFormat,
        @Doc("Several columns that together make the time: [year, month, day, hour] (numbers, in that order, down to second), or [Date, Time] with a timeFormat for their text joined by a space.")
        @Default("[]") List<String> timeColumns,
        @Doc("Rows out of time order: refuse (a fault naming the line) or sort.") @Default("refuse") TimeOrder order,
        @Doc("Rows with the same time: refuse, or merge them keeping the first, the last or the mean of each number; a categorical column holds every value of the merged rows (multi-hot) unless it lists first or last. Per column: {policy: mean, columns: [{column: traffic_volume, policy: last}]}.")
        @Default("refuse") DuplicatesConfig duplicates,
        @Doc("The step between rows, such as 1h, 15min, 1d, 1w, 1mo, 1q or 1y; when absent, the most common step. Longer steps are gaps.")
        @Pattern(value = "[1-9][0-9]*(s|min|h|d|w|mo|q|y)", hint = "a count and a unit: s, min, h, d, w, mo, q or y, such as 1h") @Optional String cadence,
        @Doc("How gaps of up to maxGap missing steps are filled: none, forward-fill or linear (categorical columns are forward-filled). Windows never cross a gap that is not filled.")
        @Default("none") GapFill gapFill,
        @Doc("The longest gap, in missing steps, that gapFill fills.") @Default("0") @Range(min = 0) int maxGap,
        @Doc("Value columns holding text categories, each read as one-hot features over the categories of the training part (sorted); a category unseen in training reads as the column's <other> feature and is counted.")
        @Default("[]") List<String> categorical,
        @Doc("Value columns used as input features; when empty, every column but the time column(s).") @Default("[]") List<String> valueColumns,
        @Doc("The column to forecast; when absent, the first value column.") @Optional String target,
        @Doc("Columns that name a series when the file holds many (long format, such as [Region, State, Purpose]): the rows are grouped by them into series, each with its own time checks, windows and chronological split, and one network is trained across all of them.")
        @Default("[]") List<String> idColumns,
        @Doc("With idColumns: the normalizer's statistics fitted over every series' training part (global) or per series (per-series; saved in the bundle for each series).")
        @Default("global") NormalizerScope normalizerScope,
        @Doc("Length of the season in steps (12 for monthly data with a yearly cycle); the seasonal-naive baseline and MASE use it, reading the series itself, so it may exceed the lookback; the first window starts a whole season into the series. 1: no season.")
        @Default("1") @Range(min = 1) int seasonalPeriod,
        @Doc("Covariates known in the future (planned promotions, holidays): columns the model reads for the forecast steps too."
                + " A window's known-future features at each input step hold the column's value horizon steps later, so the window's"
                + " last horizon steps carry the forecast steps' values; predict needs them in the file, in horizon rows after the"
                + " history whose value columns are left empty. Numbers, or text listed in categorical (one-hot).")
        @Default("[]") List<String> futureColumns,
        @Doc("Static covariates: columns constant within a series (a panel's Region, State, Purpose, which may be id columns),"
                + " fed to every step. Text listed in categorical is one-hot; numbers are standardized over the series' training"
                + " windows (fitted over every series, also with normalizerScope: per-series).")
        @Default("[]") List<String> staticColumns,
        @Doc("Calendar features computed from the time column, known in the future: hour-of-day, day-of-week, day-of-year,"
                + " month, quarter; each a cyclic sin/cos pair (day-of-year.sin, day-of-year.cos), led like futureColumns.")
        @Default("[]") List<CalendarField> calendar) {
    public SeriesConfig {
        timeColumns = timeColumns == null ? null : List.copyOf(timeColumns);
        categorical = categorical == null ? null : List.copyOf(categorical);
        valueColumns = valueColumns == null ? null : List.copyOf(valueColumns);
        idColumns = idColumns == null ? null : List.copyOf(idColumns);
        futureColumns = futureColumns == null ? null : List.copyOf(futureColumns);
        staticColumns = staticColumns == null ? null : List.copyOf(staticColumns);
        calendar = calendar == null ? null : List.copyOf(calendar);
        Constraints.check(SeriesConfig.class, timeColumn, timeFormat, timeColumns, order, duplicates, cadence, gapFill, maxGap, categorical,
                valueColumns, target, idColumns, normalizerScope, seasonalPeriod, futureColumns, staticColumns, calendar);
    }

    /** Whether the file holds many series, told apart by {@link #idColumns}. */
    public boolean panel() {
        return !idColumns.isEmpty();
    }

    /** Whether the series has covariates: known-future or static columns, or calendar features. */
    public boolean covariates() {
        return !futureColumns.isEmpty() || !staticColumns.isEmpty() || !calendar.isEmpty();
    }

    /** The columns that make the time: timeColumns, else the one timeColumn, else none. */
    public List<String> timeSources() {
        return !timeColumns.isEmpty() ? timeColumns : timeColumn == null ? List.of() : List.of(timeColumn);
    }
}
