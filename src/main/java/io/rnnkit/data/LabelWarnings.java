package io.rnnkit.data;

import io.rnnkit.config.DataFormat;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classification label set that reads without fault but makes no sense: most classes seen once, or more
 * classes (beyond two) than a tenth of the sequences. Such labels are almost always a misread file, not a real task, so
 * {@code rnnkit validate} warns and names the likely cause (values read as labels).
 */
public final class LabelWarnings {
    private LabelWarnings() {
    }

    /** The warnings for the data as split, each one sentence; empty when the labels look like classes. */
    public static List<String> of(ExperimentConfig config, SplitData data) {
        return of(config, data.classes(), data.train(), data.validation(), data.test());
    }

    /** The same for labelled sets not yet split (a null set is skipped). */
    static List<String> of(ExperimentConfig config, List<String> classNames, SequenceSet... sets) {
        List<String> out = new ArrayList<>();
        // only one class per sequence is a label set; per-step classes of other topologies are tokens or step states
        if (!(Task.of(config) instanceof Task.Classifier)) {
            return out;
        }
        int classes = classNames.size();
        int[] counts = new int[classes];
        int rows = 0;
        for (SequenceSet set : sets) {
            if (set == null) {
                continue;
            }
            int[] c = set.classCounts(classes);
            for (int k = 0; k < classes; k++) {
                counts[k] += c[k];
                rows += c[k];
            }
        }
        long once = Arrays.stream(counts).filter(n -> n == 1).count();
        boolean mostOnce = once * 2 > classes;
        boolean tooMany = classes > 2 && classes * 10L > rows;   // two classes are never too many, however few the rows
        if (!mostOnce && !tooMany) {
            return out;
        }
        String what = mostOnce ? once + " of the " + classes + " classes have a single example"
                : classes + " classes for " + rows + " sequences (more than one class per ten sequences)";
        out.add(what + "; too few examples of each class to learn it and test it. Likely cause: " + cause(config, classNames));
        return out;
    }

    private static String cause(ExperimentConfig config, List<String> classes) {
        String sample = String.join(", ", classes.subList(0, Math.min(3, classes.size()))) + (classes.size() > 3 ? ", ..." : "");
        if (classes.stream().anyMatch(c -> c.contains(":"))) {
            return "the labels (" + sample + ") hold ':', as the last field of a sktime .ts file does (its last dimension's"
                    + " values, ':', then the label); read such a file with data.format: ts";
        }
        if (classes.stream().allMatch(LabelWarnings::isNumber)) {
            boolean fractional = classes.stream().anyMatch(c -> c.contains(".") || c.contains("e") || c.contains("E"));
            return "the labels (" + sample + ") are " + (fractional ? "measurements" : "numbers") + ", not classes: check that "
                    + (config.data().format() == DataFormat.ROWS ? "data.labels.from names the label column" : "the label is where the layout expects it")
                    + ", or set task.kind: regression if the value is what to predict";
        }
        return "the labels (" + sample + ") look like identifiers or free text rather than classes; check which field holds the class";
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
