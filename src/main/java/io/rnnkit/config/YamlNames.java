package io.rnnkit.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** How Java names appear in YAML (enum constants as kebab-case words) and "did you mean" suggestions. */
public final class YamlNames {
    private YamlNames() {
    }

    /** {@code SIMPLE_RNN} is written {@code simple-rnn}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static List<String> of(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(YamlNames::of).toList();
    }

    /** The enum constant written as {@code text}, or null. Case and '_' versus '-' are forgiven. */
    public static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wanted)) {
                return constant;
            }
        }
        return null;
    }

    /** The closest candidate within a small edit distance, as {@code " (did you mean 'x'?)"}, or "". */
    public static String didYouMean(String text, Collection<String> candidates) {
        String lower = text.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt(c -> editDistance(lower, c.toLowerCase(Locale.ROOT))))
                .filter(c -> editDistance(lower, c.toLowerCase(Locale.ROOT)) <= Math.max(2, c.length() / 3))
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    /** Levenshtein distance between two texts, by character. */
    public static int editDistance(String a, String b) {
        return editDistance(a.chars().toArray(), b.chars().toArray());
    }

    /** Levenshtein distance between two symbol sequences: insertions, deletions and substitutions each cost one. */
    public static int editDistance(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            current[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length];
    }
}
