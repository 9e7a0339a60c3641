package io.rnnkit.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written number check accepts exactly what the documented regular expressions accept. */
class NumberSyntaxTest {
    @Test
    void agreesWithTheRegularExpressionsOnEveryShortString() {
        String alphabet = "01+-.,eE x9";
        Random random = new Random(3);
        int accepted = 0;
        for (int k = 0; k < 200_000; k++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            boolean point = TextRecords.POINT_NUMBER.matcher(text).matches();
            assertEquals(point, TextRecords.isNumber(text, '.'), "'" + text + "' with a decimal point");
            assertEquals(TextRecords.COMMA_NUMBER.matcher(text).matches(), TextRecords.isNumber(text, ','), "'" + text + "' with a decimal comma");
            accepted += point ? 1 : 0;
        }
        // the strings drawn include numbers in every form, not only rejections
        assertEquals(true, accepted > 5_000, accepted + " accepted");
    }
}
