package io.rnnkit.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class YamlNamesTest {
    @Test
    void enumsAreKebabCaseBothWays() {
        assertEquals("simple-rnn", YamlNames.of(CellType.SIMPLE_RNN));
        assertEquals(CellType.SIMPLE_RNN, YamlNames.parse(CellType.class, "simple-rnn"));
        assertEquals(CellType.SIMPLE_RNN, YamlNames.parse(CellType.class, "SIMPLE_RNN"));
        assertNull(YamlNames.parse(CellType.class, "gru-ish"));
    }

    @Test
    void editDistanceAndSuggestions() {
        assertEquals(0, YamlNames.editDistance("abc", "abc"));
        assertEquals(1, YamlNames.editDistance("lstn", "lstm"));
        assertEquals(2, YamlNames.editDistance("batchSzie", "batchSize"));
        assertEquals(" (did you mean 'lstm'?)", YamlNames.didYouMean("lstn", List.of("simple-rnn", "lstm")));
        assertEquals("", YamlNames.didYouMean("transformer", List.of("simple-rnn", "lstm")));
    }
}
