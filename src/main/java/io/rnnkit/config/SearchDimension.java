package io.rnnkit.config;

import java.util.List;

/**
 * One searched field: a path into this same config and exactly one distribution. A candidate sets the path to
 * its value exactly as {@code --set path=value} would, so the experiment and its search cannot drift apart.
 */
@Doc("One searched field: a config path (as for --set) and exactly one of choice, integer, uniform, logUniform, count.")
public record SearchDimension(
        @Doc("Config path, as for --set: model.layers[0].units, model.layers[*].type, training.updater.learningRate, ...")
        @Pattern(value = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*|\\[(\\d+|\\*)])*", hint = "keys joined by '.', with [i] or [*] for list entries")
        String path,
        @Doc("The values to choose from, each written as in the config (lstm, 64, 0.001, true).") @Optional List<String> choice,
        @Doc("Whole numbers from min to max, both included: [min, max].") @Optional @Range(min = 2, max = 2) List<Integer> integer,
        @Doc("Real numbers, uniform between min and max: [min, max].") @Optional @Range(min = 2, max = 2) List<Double> uniform,
        @Doc("Positive real numbers, uniform in log scale between min and max (learning rates): [min, max].") @Optional @Range(min = 2, max = 2) List<Double> logUniform,
        @Doc("For a list path such as model.layers: how many entries it has, [min, max] (the depth); entries past the end"
                + " copy the last one. Applied before the other dimensions, so model.layers[*].units reaches the new layers.")
        @Optional @Range(min = 2, max = 2) List<Integer> count) {
    public SearchDimension {
        choice = choice == null ? null : List.copyOf(choice);
        integer = integer == null ? null : List.copyOf(integer);
        uniform = uniform == null ? null : List.copyOf(uniform);
        logUniform = logUniform == null ? null : List.copyOf(logUniform);
        count = count == null ? null : List.copyOf(count);
        Constraints.check(SearchDimension.class, path, choice, integer, uniform, logUniform, count);
        int given = (choice != null ? 1 : 0) + (integer != null ? 1 : 0) + (uniform != null ? 1 : 0) + (logUniform != null ? 1 : 0)
                + (count != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("path: " + path + " needs exactly one distribution (choice, integer, uniform, logUniform or count), got "
                    + given);
        }
        if (choice != null) {
            if (choice.isEmpty()) {
                throw new IllegalArgumentException("choice: is empty; give at least one value");
            }
            if (choice.stream().distinct().count() != choice.size()) {
                throw new IllegalArgumentException("choice: values must be distinct, got " + choice);
            }
        }
        if (integer != null && integer.get(0) > integer.get(1)) {
            throw new IllegalArgumentException("integer: the range is inverted: min " + integer.get(0) + " > max " + integer.get(1));
        }
        if (count != null) {
            if (count.get(0) > count.get(1)) {
                throw new IllegalArgumentException("count: the range is inverted: min " + count.get(0) + " > max " + count.get(1));
            }
            if (count.get(0) < 1) {
                throw new IllegalArgumentException("count: a list needs at least 1 entry, got min " + count.get(0));
            }
        }
        if (uniform != null && !(uniform.get(0) < uniform.get(1))) {
            throw new IllegalArgumentException("uniform: the range is inverted or empty: min " + uniform.get(0) + " must be < max " + uniform.get(1));
        }
        if (logUniform != null) {
            if (!(logUniform.get(0) < logUniform.get(1))) {
                throw new IllegalArgumentException("logUniform: the range is inverted or empty: min " + logUniform.get(0)
                        + " must be < max " + logUniform.get(1));
            }
            if (logUniform.get(0) <= 0) {
                throw new IllegalArgumentException("logUniform: min must be > 0 (log scale), got " + logUniform.get(0));
            }
        }
    }

    /** The values that span this dimension (each choice, or both ends of a range), written as for --set. */
    public List<String> extremes() {
        if (choice != null) {
            return choice;
        }
        List<? extends Number> range = integer != null ? integer : uniform != null ? uniform : logUniform != null ? logUniform : count;
        return range.stream().map(String::valueOf).toList();
    }
}
