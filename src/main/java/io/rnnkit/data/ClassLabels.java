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

    /** Digits beyond which a number label keeps its exponent: "1e1000000" written out would take minutes to read back. */
    private static final int MAX_PLAIN_DIGITS = 100;

    /** The canonical spelling of a label: an integral number without decimals, anything else trimmed. */
    static String canonical(String label) {
        String text = label.strip();
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() == 0) {
                return "0";
            }
            BigDecimal stripped = value.stripTrailingZeros();
            if (Math.abs((long) stripped.scale()) + stripped.precision() > MAX_PLAIN_DIGITS) {
                return stripped.toString();
            }
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

    /** Every label text of a set, in order (the first column of each label row). */
    static List<String> texts(RawSequences raw) {
        List<String> out = new ArrayList<>();
        for (String[][] label : raw.labels()) {
            for (String[] row : label) {
                out.add(row[0]);
            }
        }
        return out;
    }

    /** Class indices per sequence, one per label row; a label outside {@code classes} is reported where it is. */
    static List<int[]> indices(RawSequences raw, List<String> classes, String source) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<int[]> out = new ArrayList<>(raw.labels().size());
        for (int i = 0; i < raw.labels().size(); i++) {
            String[][] label = raw.labels().get(i);
            int[] steps = new int[label.length];
            for (int t = 0; t < label.length; t++) {
                if (label[t].length != 1) {
                    throw new DataException(raw.origins().get(i).at(t) + ": expected one class label, found " + label[t].length + " values");
                }
                Integer c = index.get(canonical(label[t][0]));
                if (c == null) {
                    throw new DataException(raw.origins().get(i).at(t) + ": label '" + label[t][0].strip() + "' is not one of the classes "
                            + classes + " (" + source + ")");
                }
                steps[t] = c;
            }
            out.add(steps);
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
