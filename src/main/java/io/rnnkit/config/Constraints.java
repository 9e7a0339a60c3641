package io.rnnkit.config;

import java.lang.reflect.RecordComponent;
import java.util.Collection;

/**
 * The field-level rules of config records ({@link Range}, {@link Pattern}, required values), in one place:
 * the YAML binder reports them with paths and lines, and each record's compact constructor calls
 * {@link #check} so that no record can exist in an invalid state, however it was made.
 */
public final class Constraints {
    private Constraints() {
    }

    /**
     * Checks the values of a record's components, given in declaration order (call it from the compact
     * constructor with every parameter). Throws {@link IllegalArgumentException} naming the first bad field.
     */
    public static void check(Class<? extends Record> type, Object... values) {
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != values.length) {
            throw new IllegalStateException(type.getSimpleName() + ": check() needs all " + components.length + " components");
        }
        for (int i = 0; i < components.length; i++) {
            String violation = violation(components[i], values[i]);
            if (violation != null) {
                throw new IllegalArgumentException(components[i].getName() + ": " + violation);
            }
        }
    }

    /** What is wrong with {@code value} for this component, or null if it is acceptable. */
    static String violation(RecordComponent component, Object value) {
        if (value == null) {
            return component.isAnnotationPresent(Optional.class) ? null : "a value is required";
        }
        Range range = component.getAnnotation(Range.class);
        if (range != null) {
            if (value instanceof Number number) {
                String bad = outside(range, number.doubleValue());
                if (bad != null) {
                    return bad + ", got " + format(number);
                }
            } else if (value instanceof Collection<?> collection) {
                String bad = outside(range, collection.size());
                if (bad != null) {
                    return "number of entries " + bad + ", got " + collection.size();
                }
            }
        }
        Pattern pattern = component.getAnnotation(Pattern.class);
        if (pattern != null && value instanceof String text && !text.matches(pattern.value())) {
            return "must be " + pattern.hint() + ", got '" + text + "'";
        }
        return null;
    }

    private static String outside(Range range, double x) {
        boolean tooLow = range.minExclusive() ? x <= range.min() : x < range.min();
        boolean tooHigh = range.maxExclusive() ? x >= range.max() : x > range.max();
        return tooLow || tooHigh ? "must be " + describe(range) : null;
    }

    /** The range in words, such as {@code > 0} or {@code in [0, 1)}. */
    static String describe(Range range) {
        boolean hasMin = range.min() != Double.NEGATIVE_INFINITY;
        boolean hasMax = range.max() != Double.POSITIVE_INFINITY;
        if (hasMin && hasMax) {
            return "in " + (range.minExclusive() ? "(" : "[") + format(range.min()) + ", " + format(range.max())
                    + (range.maxExclusive() ? ")" : "]");
        }
        if (hasMin) {
            return (range.minExclusive() ? "> " : ">= ") + format(range.min());
        }
        return (range.maxExclusive() ? "< " : "<= ") + format(range.max());
    }

    static String format(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
