package io.rnnkit.config;

import java.util.List;

@Doc("Where the class labels come from and what the classes are called.")
public record LabelsConfig(
        @Doc("rows layout only: first-column, last-column or row-blocks.") @Optional LabelSource from,
        @Doc("With from: row-blocks, how many consecutive rows share a class.") @Optional @Range(min = 1) Integer blockSize,
        @Doc("Class names in index order. Labels in the data must be among them; when empty, the distinct labels found in the training data, sorted.")
        @Default("[]") List<String> classes,
        @Doc("series only: a file of labelled incident windows, CSV start,end[,label] with a header, or NAB's JSON {\"series-key\": [[\"start\", \"end\"], ...]}; every step inside a window (both ends inclusive) takes the window's label (anomaly when it has none), every other step the class normal, and the series is tagged per step (task.topology: many-to-many, task.kind: classification); with task.kind: anomaly the windows only measure the detector, which learns without them (event metrics, NAB score). ${datasets} stands for the public dataset folder.")
        @Optional String windows,
        @Doc("The series' key in a JSON windows file, such as realKnownCause/nyc_taxi.csv.") @Optional String key) {
    public LabelsConfig {
        classes = classes == null ? null : List.copyOf(classes);
        Constraints.check(LabelsConfig.class, from, blockSize, classes, windows, key);
    }
}
