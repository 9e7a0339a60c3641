package io.rnnkit.config;

/**
 * A calendar feature computed from a series' time column ({@code data.series.calendar}), known for every future
 * step: each is a cycle read as the pair {@code sin(2πk/n), cos(2πk/n)} of its position k in a cycle of n, so
 * that its last and first values (December and January) lie as close as any other neighbours.
 */
public enum CalendarField {
    /** Hour of the day and its minutes: k = hour + minute/60 of n = 24. */
    HOUR_OF_DAY,
    /** Monday k = 0 … Sunday k = 6 of n = 7. */
    DAY_OF_WEEK,
    /** 1 January k = 0 of n = the days of its year (365 or 366). */
    DAY_OF_YEAR,
    /** January k = 0 of n = 12. */
    MONTH,
    /** The first quarter k = 0 of n = 4. */
    QUARTER;

    /** The position of {@code t} in this cycle as a fraction of the cycle, in [0, 1). */
    public double phase(java.time.LocalDateTime t) {
        return switch (this) {
            case HOUR_OF_DAY -> (t.getHour() + t.getMinute() / 60.0) / 24;
            case DAY_OF_WEEK -> (t.getDayOfWeek().getValue() - 1) / 7.0;
            case DAY_OF_YEAR -> (t.getDayOfYear() - 1) / (double) t.toLocalDate().lengthOfYear();
            case MONTH -> (t.getMonthValue() - 1) / 12.0;
            case QUARTER -> (t.getMonthValue() - 1) / 3 / 4.0;
        };
    }

    /** The two features of {@code t}: {@code sin} and {@code cos} of its phase's angle. */
    public double[] encode(java.time.LocalDateTime t) {
        double angle = 2 * Math.PI * phase(t);
        return new double[]{Math.sin(angle), Math.cos(angle)};
    }

    /** The names of the two features, {@code day-of-year.sin} and {@code day-of-year.cos}. */
    public java.util.List<String> featureNames() {
        return java.util.List.of(YamlNames.of(this) + ".sin", YamlNames.of(this) + ".cos");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    static CalendarField fromYaml(String name) {
        return YamlNames.parse(CalendarField.class, name);
    }
}
