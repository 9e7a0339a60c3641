package io.rnnkit.data;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns label text into class indices: numeric labels compare by value ("1.0000000e+00" is class "1"). */
final class ClassLabels {
    private ClassLabels() {
    }

    /** The canonical spelling of a label: an integral number without decimals, anything else trimmed. */
    static String canonical(String label) {
        String text = label.strip();
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() == 0) {
                return "0";
            }
            BigDecimal stripped = value.stripTrailingZeros();
            return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
        } catch (NumberFormatException | ArithmeticException e) {
            return text;
        }
    }

    /** Declared class names (canonical), or the distinct labels found, in numeric order if all are numbers. */
    static List<String> classes(List<String> declared, List<String> found) {
        if (!declared.isEmpty()) {
            return declared.stream().map(ClassLabels::canonical).toList();
        }
        List<String> distinct = new ArrayList<>(found.stream().map(ClassLabels::canonical).distinct().toList());
        if (distinct.stream().allMatch(ClassLabels::isNumber)) {
            distinct.sort(Comparator.comparing(BigDecimal::new));
        } else {
            distinct.sort(Comparator.naturalOrder());
        }
        return distinct;
    }

    static int[] indices(RawSequences raw, List<String> classes, String source) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        int[] out = new int[raw.labels().size()];
        for (int i = 0; i < out.length; i++) {
            Integer c = index.get(canonical(raw.labels().get(i)));
            if (c == null) {
                throw new DataException(raw.origins().get(i) + ": label '" + raw.labels().get(i).strip() + "' is not one of the classes "
                        + classes + " (" + source + ")");
            }
            out[i] = c;
        }
        return out;
    }

    private static boolean isNumber(String s) {
        try {
            new BigDecimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
