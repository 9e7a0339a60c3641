package io.rnnkit.data;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequence-to-sequence generators make correct, distinct, seeded pairs. */
class TranslationTasksTest {
    @Test
    void datesAreWrittenInManyFormatsAndTranslateToIso() {
        LocalDate day = LocalDate.of(2021, 3, 12);
        Set<String> written = new HashSet<>();
        TranslationTasks.DATE_FORMATS.values().forEach(f -> written.add(f.apply(day)));
        assertTrue(written.containsAll(List.of("12 March 2021", "3/12/21", "Friday, March 12 2021", "12.03.2021", "2021-03-12",
                "20210312", "12th March 2021", "march 12 2021")), written.toString());
        assertEquals(TranslationTasks.DATE_FORMATS.size(), written.size(), "every format writes the day differently");

        List<String[]> pairs = TranslationTasks.dates(3000, 7);
        Set<String> sources = new HashSet<>();
        for (String[] pair : pairs) {
            LocalDate iso = LocalDate.parse(pair[1]);
            assertTrue(!iso.isBefore(LocalDate.of(1950, 1, 1)) && !iso.isAfter(LocalDate.of(2049, 12, 31)), pair[1]);
            assertTrue(TranslationTasks.DATE_FORMATS.values().stream().anyMatch(f -> f.apply(iso).equals(pair[0])),
                    pair[0] + " is a way of writing " + pair[1]);
            assertTrue(sources.add(pair[0]), "distinct sources: " + pair[0]);
        }
        assertNotEquals(pairs.get(0)[0], TranslationTasks.dates(1, 8).get(0)[0], "seeded");
    }

    @Test
    void ordinalsFollowEnglish() {
        assertEquals(List.of("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"),
                List.of(1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31).stream().map(TranslationTasks::ordinal).toList());
    }

    @Test
    void additionWritesTheSum() {
        List<String[]> pairs = TranslationTasks.addition(2000, 3, 1);
        Set<Integer> digitCounts = new HashSet<>();
        for (String[] pair : pairs) {
            String[] operands = pair[0].split("\\+");
            assertEquals(2, operands.length, pair[0]);
            assertTrue(operands[0].length() <= 3 && operands[1].length() <= 3, pair[0]);
            digitCounts.add(operands[0].length());
            assertEquals(Integer.parseInt(operands[0]) + Integer.parseInt(operands[1]), Integer.parseInt(pair[1]), pair[0]);
        }
        assertEquals(Set.of(1, 2, 3), digitCounts, "1 to 3 digits");
        assertEquals(2000, pairs.stream().map(p -> p[0]).distinct().count(), "distinct sources");
    }

    @Test
    void reversalReversesUpToTheLength() {
        for (String[] pair : TranslationTasks.reversal(500, 6, 2)) {
            assertTrue(pair[0].length() >= 1 && pair[0].length() <= 6, pair[0]);
            assertEquals(new StringBuilder(pair[0]).reverse().toString(), pair[1]);
            assertTrue(pair[0].chars().allMatch(c -> c >= 'a' && c <= 'z'), pair[0]);
        }
    }
}
