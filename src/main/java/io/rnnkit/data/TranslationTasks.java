package io.rnnkit.data;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Symbol transductions whose output length differs from the input's, for sequence to sequence. Each generator
 * makes {@code count} pairs with distinct sources (so a held-out split holds only sources never trained on).
 *
 * <ul>
 * <li><b>dates</b>: a day between 1950-01-01 and 2049-12-31 written in one of {@link #DATE_FORMATS} human
 * formats ({@code "12 March 2021"}, {@code "3/12/21"}, {@code "Friday, March 12 2021"}, ...), and the same day
 * as ISO {@code yyyy-mm-dd}. Slashed dates are month first (US); dotted dates day first (European); a
 * two-digit year {@code yy} is 19yy from 50 and 20yy below, which the range of days makes exact.</li>
 * <li><b>addition</b>: {@code "a+b"} and the decimal sum; each operand has 1 to {@code digits} digits (the
 * count drawn uniformly, then the value uniformly among numbers of that many digits), as in the addition
 * example of Zaremba &amp; Sutskever (2014), "Learning to Execute".</li>
 * <li><b>reversal</b>: 1 to {@code length} letters a–z, and the same letters last to first.</li>
 * </ul>
 */
public final class TranslationTasks {
    /** How dates are written in the dates task: pattern (java.time, English) or a rule of its own. */
    static final Map<String, Function<LocalDate, String>> DATE_FORMATS = dateFormats();
    private static final LocalDate FIRST_DAY = LocalDate.of(1950, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(2049, 12, 31);

    private TranslationTasks() {
    }

    private static Map<String, Function<LocalDate, String>> dateFormats() {
        Map<String, Function<LocalDate, String>> formats = new LinkedHashMap<>();
        for (String pattern : List.of("d MMMM yyyy", "M/d/yy", "EEEE, MMMM d yyyy", "MMMM d, yyyy", "MMM d, yyyy", "d MMM yyyy",
                "dd-MMM-yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "d.M.yy", "yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd", "yyyy-M-d",
                "EEE d MMM yyyy", "EEE, MMM d, yy")) {
            DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
            formats.put(pattern, f::format);
        }
        formats.put("d'th' MMMM yyyy (ordinal)", day -> ordinal(day.getDayOfMonth()) + " "
                + DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH).format(day));
        formats.put("d MMMM yyyy, upper case", day -> DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).format(day).toUpperCase(Locale.ROOT));
        formats.put("MMMM d yyyy, lower case", day -> DateTimeFormatter.ofPattern("MMMM d yyyy", Locale.ENGLISH).format(day).toLowerCase(Locale.ROOT));
        return formats;
    }

    /** 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st. */
    static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** {@code count} (human date, ISO date) pairs. */
    public static List<String[]> dates(int count, long seed) {
        Random random = new Random(seed);
        List<Function<LocalDate, String>> formats = List.copyOf(DATE_FORMATS.values());
        long days = LAST_DAY.toEpochDay() - FIRST_DAY.toEpochDay() + 1;
        return distinct(count, () -> {
            LocalDate day = FIRST_DAY.plusDays((long) (random.nextDouble() * days));
            return new String[]{formats.get(random.nextInt(formats.size())).apply(day), day.toString()};
        });
    }

    /** {@code count} ("a+b", "a + b" in decimal) pairs with operands of 1 to {@code digits} digits. */
    public static List<String[]> addition(int count, int digits, long seed) {
        Random random = new Random(seed);
        long pairs = (long) Math.pow(10, digits) * (long) Math.pow(10, digits);
        if (count > pairs) {
            throw new IllegalArgumentException("only " + pairs + " distinct sums of numbers below 10^" + digits + ", asked for " + count);
        }
        return distinct(count, () -> {
            long a = operand(random, digits);
            long b = operand(random, digits);
            return new String[]{a + "+" + b, Long.toString(a + b)};
        });
    }

    private static long operand(Random random, int digits) {
        int d = 1 + random.nextInt(digits);
        long low = d == 1 ? 0 : (long) Math.pow(10, d - 1);
        long high = (long) Math.pow(10, d);
        return low + (long) (random.nextDouble() * (high - low));
    }

    /** {@code count} (letters, letters reversed) pairs of 1 to {@code length} letters a–z. */
    public static List<String[]> reversal(int count, int length, long seed) {
        Random random = new Random(seed);
        return distinct(count, () -> {
            int n = 1 + random.nextInt(length);
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append((char) ('a' + random.nextInt(26)));
            }
            return new String[]{s.toString(), s.reverse().toString()};
        });
    }

    /**
     * Pairs drawn until {@code count} distinct sources are found, in the order drawn. Gives up (a clear error)
     * when the space is nearly exhausted: after 100·count draws that repeat a source.
     */
    private static List<String[]> distinct(int count, java.util.function.Supplier<String[]> draw) {
        Map<String, String[]> seen = new LinkedHashMap<>();
        int misses = 0;
        while (seen.size() < count) {
            String[] pair = draw.get();
            if (seen.putIfAbsent(pair[0], pair) != null && ++misses > 100 * count) {
                throw new IllegalArgumentException("cannot draw " + count + " distinct sources: only " + seen.size() + " found");
            }
        }
        return new ArrayList<>(seen.values());
    }
}
