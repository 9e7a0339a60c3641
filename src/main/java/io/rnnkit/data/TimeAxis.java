package io.rnnkit.data;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.WeekFields;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * Times of a series read with java.time (DataVec's time transform takes Joda patterns, which have no quarter):
 * one column with a pattern, several columns ({@code [year, month, day, hour]} as numbers, or text joined by a
 * space and read with a pattern), or without a pattern an ISO-8601 date or date-time, a year-quarter
 * ({@code 1998 Q1}), an ISO week ({@code 2020-W05}) or a plain number. And the cadence: the step between rows.
 */
final class TimeAxis {
    private TimeAxis() {
    }

    /** A time: a date-time (UTC, without zone), or a plain number when {@code at} is null. */
    record Stamp(LocalDateTime at, double number) implements Comparable<Stamp> {
        @Override
        public int compareTo(Stamp other) {
            return at != null && other.at != null ? at.compareTo(other.at) : Double.compare(number, other.number);
        }

        /** This time moved by {@code count} cadence steps. */
        Stamp plus(Cadence cadence, long count) {
            return switch (cadence.unit()) {
                case NUMBER -> new Stamp(null, number + count * cadence.amount());
                case SECONDS -> new Stamp(at.plusSeconds(count * (long) cadence.amount()), 0);
                case MONTHS -> {
                    LocalDateTime moved = at.plusMonths(count * (long) cadence.amount());
                    // a month-end series stays on month ends (plusMonths would keep 29 February's day 29 in March)
                    yield new Stamp(Cadence.monthEnd(at) ? moved.with(TemporalAdjusters.lastDayOfMonth()) : moved, 0);
                }
            };
        }

        @Override
        public String toString() {
            if (at == null) {
                return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number);
            }
            return at.toString().replace('T', ' ');
        }
    }

    enum Unit { NUMBER, SECONDS, MONTHS }

    /** A step of {@code amount} units (seconds, months, or units of a plain-number time). */
    record Cadence(double amount, Unit unit) {
        private static final java.util.regex.Pattern TEXT = java.util.regex.Pattern.compile("([1-9][0-9]*)(s|min|h|d|w|mo|q|y)");

        /** {@code 1h}, {@code 15min}, {@code 1mo}, {@code 1q} ... (the syntax data.series.cadence accepts). */
        static Cadence parse(String text, boolean numeric) {
            Matcher m = TEXT.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("cadence '" + text + "' is not a count and a unit such as 1h");
            }
            long n = Long.parseLong(m.group(1));
            Cadence c = switch (m.group(2)) {
                case "s" -> new Cadence(n, Unit.SECONDS);
                case "min" -> new Cadence(n * 60, Unit.SECONDS);
                case "h" -> new Cadence(n * 3600, Unit.SECONDS);
                case "d" -> new Cadence(n * 86_400, Unit.SECONDS);
                case "w" -> new Cadence(n * 604_800, Unit.SECONDS);
                case "mo" -> new Cadence(n, Unit.MONTHS);
                case "q" -> new Cadence(n * 3, Unit.MONTHS);
                default -> new Cadence(n * 12, Unit.MONTHS);
            };
            // a plain-number time has no units: its cadence is the count
            return numeric ? new Cadence(n, Unit.NUMBER) : c;
        }

        /**
         * The natural step from {@code a} to {@code b}: whole months when both fall on the same day of the month
         * and time of day (months and quarters have no fixed length), else seconds.
         */
        static Cadence between(Stamp a, Stamp b) {
            if (a.at() == null || b.at() == null) {
                return new Cadence(b.number() - a.number(), Unit.NUMBER);
            }
            long months = ChronoUnit.MONTHS.between(a.at(), b.at());
            if (months > 0 && a.at().plusMonths(months).equals(b.at())) {
                return new Cadence(months, Unit.MONTHS);
            }
            if (monthEnd(a.at()) && monthEnd(b.at()) && a.at().toLocalTime().equals(b.at().toLocalTime())) {
                // month ends (31 January, 29 February, 31 March) are a month apart though their days differ
                return new Cadence(ChronoUnit.MONTHS.between(YearMonth.from(a.at()), YearMonth.from(b.at())), Unit.MONTHS);
            }
            return new Cadence(Duration.between(a.at(), b.at()).getSeconds(), Unit.SECONDS);
        }

        private static boolean monthEnd(LocalDateTime t) {
            return t.getDayOfMonth() == t.toLocalDate().lengthOfMonth();
        }

        /** How many cadence steps lead from {@code a} to {@code b}; NaN when b is not on a's grid. */
        double steps(Stamp a, Stamp b) {
            Cadence step = between(a, b);
            if (unit == Unit.MONTHS && step.unit() == Unit.SECONDS) {
                return Double.NaN;
            }
            double seconds = unit == Unit.SECONDS && step.unit() == Unit.MONTHS
                    ? Duration.between(a.at(), b.at()).getSeconds() : step.amount();
            double k = seconds / amount;
            return Math.abs(k - Math.rint(k)) < 1e-9 ? Math.rint(k) : Double.NaN;
        }

        @Override
        public String toString() {
            long n = (long) amount;
            return switch (unit) {
                case NUMBER -> n == amount ? Long.toString(n) : Double.toString(amount);
                case MONTHS -> n % 12 == 0 ? n / 12 + "y" : n % 3 == 0 ? n / 3 + "q" : n + "mo";
                case SECONDS -> n % 604_800 == 0 ? n / 604_800 + "w" : n % 86_400 == 0 ? n / 86_400 + "d"
                        : n % 3600 == 0 ? n / 3600 + "h" : n % 60 == 0 ? n / 60 + "min" : n + "s";
            };
        }
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?");
    private static final java.util.regex.Pattern QUARTER = java.util.regex.Pattern.compile("([0-9]{4})[ -]?Q([1-4])");
    private static final java.util.regex.Pattern WEEK = java.util.regex.Pattern.compile("([0-9]{4})-?W([0-9]{2})");
    private static final java.util.regex.Pattern SPACED = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9].*");
    private static final String[] PARTS = {"year", "month", "day", "hour", "minute", "second"};

    /** A pattern as a formatter; the UK locale so that week fields (Y, w) are ISO weeks (Monday, four days). */
    static DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.UK);
    }

    /**
     * The time of one row from the texts of its time columns.
     *
     * @param format the pattern (null: ISO, quarter, week or number for one column; numbers year, month, day ... for several)
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    static Stamp parse(List<String> texts, DateTimeFormatter format, String pattern) {
        if (format != null) {
            String text = String.join(" ", texts);
            try {
                return new Stamp(resolve(format.parse(text), text), 0);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("time '" + text + "' does not match data.series.timeFormat " + pattern);
            }
        }
        if (texts.size() > 1) {
            return fromParts(texts);
        }
        return parseOne(texts.get(0));
    }

    private static Stamp parseOne(String text) {
        if (NUMBER.matcher(text).matches()) {
            return new Stamp(null, Double.parseDouble(text));
        }
        Matcher quarter = QUARTER.matcher(text);
        if (quarter.matches()) {
            return new Stamp(LocalDate.of(Integer.parseInt(quarter.group(1)), (Integer.parseInt(quarter.group(2)) - 1) * 3 + 1, 1).atStartOfDay(), 0);
        }
        Matcher week = WEEK.matcher(text);
        try {
            if (week.matches()) {
                return new Stamp(isoWeek(Integer.parseInt(week.group(1)), Integer.parseInt(week.group(2)), text), 0);
            }
            String iso = SPACED.matcher(text).matches() ? text.replaceFirst(" ", "T") : text;
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
            return new Stamp(t instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime() : (LocalDateTime) t, 0);
        } catch (DateTimeParseException e) {
            // not a date-time: a date or a month
        }
        try {
            return new Stamp(LocalDate.parse(text).atStartOfDay(), 0);
        } catch (DateTimeParseException e) {
            // not a date
        }
        try {
            return new Stamp(YearMonth.parse(text).atDay(1).atStartOfDay(), 0);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time '" + text + "' is not an ISO-8601 date or date-time (2024-01-31, 2024-01-31T13:00),"
                    + " a year-quarter (1998 Q1), an ISO week (2020-W05) or a number; give data.series.timeFormat for another layout");
        }
    }

    private static Stamp fromParts(List<String> texts) {
        if (texts.size() > PARTS.length) {
            throw new IllegalArgumentException("without a timeFormat, timeColumns are year, month, day, hour, minute, second: at most 6");
        }
        int[] v = {0, 1, 1, 0, 0, 0};
        for (int i = 0; i < texts.size(); i++) {
            try {
                v[i] = Integer.parseInt(texts.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PARTS[i] + " '" + texts.get(i) + "' is not a whole number (timeColumns without a"
                        + " timeFormat are year, month, day, hour, minute, second; give a timeFormat for text)");
            }
        }
        try {
            return new Stamp(LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]), 0);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time " + texts + " is not a valid " + String.join("-", List.of(PARTS).subList(0, texts.size()))
                    + ": " + e.getMessage());
        }
    }

    /** The Monday that starts ISO week {@code week} of {@code year} (week 1 holds 4 January). */
    private static LocalDateTime isoWeek(int year, int week, String text) {
        LocalDate jan4 = LocalDate.of(year, 1, 4);
        if (week < 1 || week > jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
            throw new IllegalArgumentException("time '" + text + "': week " + week + " does not exist in " + year);
        }
        return jan4.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(week - 1L).atStartOfDay();
    }

    /** A date-time from the fields a pattern parsed: missing fields default to the start (month 1, day 1, 00:00). */
    private static LocalDateTime resolve(TemporalAccessor t, String text) {
        if (t.isSupported(ChronoField.EPOCH_DAY)) {
            LocalDate date = LocalDate.from(t);
            return t.isSupported(ChronoField.NANO_OF_DAY) ? date.atTime(java.time.LocalTime.from(t)) : date.atStartOfDay();
        }
        WeekFields iso = WeekFields.ISO;
        if (t.isSupported(iso.weekBasedYear()) && t.isSupported(iso.weekOfWeekBasedYear())) {
            return isoWeek((int) t.getLong(iso.weekBasedYear()), (int) t.getLong(iso.weekOfWeekBasedYear()), text);
        }
        int year = t.get(ChronoField.YEAR);
        // java.time parses a quarter (pattern q or Q) but resolves it only with a day of the quarter; its get() refuses
        // the field without a month, so the parsed value is read with getLong and made the quarter's first month here
        int month = t.isSupported(ChronoField.MONTH_OF_YEAR) ? t.get(ChronoField.MONTH_OF_YEAR)
                : t.isSupported(IsoFields.QUARTER_OF_YEAR) ? (int) (t.getLong(IsoFields.QUARTER_OF_YEAR) - 1) * 3 + 1 : 1;
        int day = t.isSupported(ChronoField.DAY_OF_MONTH) ? t.get(ChronoField.DAY_OF_MONTH) : 1;
        int hour = t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : 0;
        int minute = t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : 0;
        int second = t.isSupported(ChronoField.SECOND_OF_MINUTE) ? t.get(ChronoField.SECOND_OF_MINUTE) : 0;
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }
}
