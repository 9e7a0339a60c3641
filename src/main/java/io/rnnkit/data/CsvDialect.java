package io.rnnkit.data;

import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DecimalMark;
import io.rnnkit.config.Delimiter;

/**
 * How a delimited file is written: what separates its values (null: runs of whitespace), how its numbers write
 * their fraction, and the quote character that lets a field hold the separator.
 */
public record CsvDialect(Character separator, char decimal, char quote) {
    public static final CsvDialect COMMA = new CsvDialect(',', '.', '"');

    public CsvDialect {
        if (separator != null && (separator == decimal || separator == quote)) {
            throw new IllegalArgumentException("the separator " + separator + " is also the decimal mark or the quote");
        }
    }

    /** The dialect a config declares: data.separator when set, else data.delimiter; data.decimal. */
    public static CsvDialect of(DataConfig data) {
        // Character.valueOf: a bare char in the conditional would unbox the whitespace delimiter's null
        Character separator = data.separator() != null ? Character.valueOf(data.separator().charAt(0)) : data.delimiter().character();
        return new CsvDialect(separator, data.decimal().character(), '"');
    }

    static CsvDialect of(Delimiter delimiter) {
        return new CsvDialect(delimiter.character(), DecimalMark.POINT.character(), '"');
    }

    /** The values in words, for messages. */
    String describe() {
        return (separator == null ? "whitespace" : "'" + separator + "'") + "-separated text";
    }
}
