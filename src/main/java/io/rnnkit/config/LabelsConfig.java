package io.rnnkit.config;

import java.util.List;

@Doc("Where the class labels come from and what the classes are called.")
public record LabelsConfig(
        @Doc("rows layout only: first-column, last-column or row-blocks.") @Optional LabelSource from,
        @Doc("With from: row-blocks, how many consecutive rows share a class.") @Optional @Range(min = 1) Integer blockSize,
        @Doc("Class names in index order. Labels in the data must be among them; when empty, the distinct labels found in the training data, sorted.")
        @Default("[]") List<String> classes) {
    public LabelsConfig {
        classes = classes == null ? null : List.copyOf(classes);
        Constraints.check(LabelsConfig.class, from, blockSize, classes);
    }
}
