package io.rnnkit.config;

@Doc("Where the sequences come from and how they are split and scaled.")
public record DataConfig(
        @Doc("rows, sequence-files, series, text, generated, ts (sktime/UEA .ts) or arff (Weka/UEA .arff).") @Default("rows") DataFormat format,
        @Doc("The data file (rows, series, ts, arff) or folder (sequence-files). ${datasets} stands for the public dataset folder; relative paths are taken from the working directory.")
        @Optional String path,
        @Doc("format: text, classification: several files read as one data set, in place of data.path. Each file is split on its own"
                + " (seeded, so its test lines are those a run on it alone would test on), the splits are pooled for training,"
                + " and metrics.json scores the test lines of each file on their own too (testBySource).")
        @Default("[]") java.util.List<String> paths,
        @Doc("Optional file or folder with the test set in the same layout (such as UCR's _TEST files); then split.test must be 0.")
        @Optional String testPath,
        @Doc("What separates values on a line: whitespace, comma, tab or semicolon.") @Default("comma") Delimiter delimiter,
        @Doc("Any single character separating values, such as '|'; when set, it replaces data.delimiter.")
        @Optional @Pattern(value = "[^\"\\r\\n]", hint = "exactly one character, not a quote or a line break") String separator,
        @Doc("point (2.6) or comma (2,6): how numbers in the file write their fraction. Numbers are read strictly in this syntax.")
        @Default("point") DecimalMark decimal,
        @Doc("Lines to skip at the top of each file (headers).") @Default("0") @Range(min = 0) int skipLines,
        @Doc("Values per time step in a row (rows layout): a row holds T × features values, time-major.") @Default("1") @Range(min = 1) int features,
        @Doc("Piecewise aggregate approximation (ts, arff, sequence-files; one label per sequence): each sequence is read as this many"
                + " steps, each the mean of an equal share of its values (a value on a boundary shared by weight), so 251 values"
                + " become 25 steps of about 10. Shortens long sequences a recurrent net reads poorly; applied alike to the"
                + " training, test and prediction files. 0 keeps every value.")
        @Default("0") @Range(min = 0) int segments,
        @Doc("Where the class labels come from.") @Default("{}") LabelsConfig labels,
        @Doc("The generator, for format: generated.") @Default("{}") GeneratorConfig generator,
        @Doc("The columns of a long series, for format: series.") @Default("{}") SeriesConfig series,
        @Doc("How a long series is cut into windows, for format: series.") @Default("{}") WindowConfig window,
        @Doc("How text is read, for format: text.") @Default("{}") TextConfig text,
        @Doc("Fractions for training, validation and test.") @Default("{}") SplitConfig split,
        @Doc("standardize, min-max or none; fitted on the training split only.") @Default("standardize") NormalizerKind normalizer,
        @Doc("Missing values in a series: their markers and what becomes of them.") @Default("{}") MissingConfig missing,
        @Doc("Features of format: rows or sequence-files holding text categories, named by their place in a step: x1 … x<features>"
                + " (rows), x1 … x<columns> (sequence files). Each is read as"
                + " one-hot features over the categories of the training split (sorted) and <other> (a category unseen in training, counted);"
                + " the categories are saved in the bundle, so predict and RnnModel.read take the raw text. A series names its own in data.series.categorical.")
        @Default("[]") java.util.List<String> categorical,
        @Doc("Data bigger than memory (every file layout; the README lists what is refused): when and how the data is streamed from a binary cache.") @Default("{}") StreamingConfig streaming) {
    public DataConfig {
        categorical = categorical == null ? null : java.util.List.copyOf(categorical);
        paths = paths == null ? null : java.util.List.copyOf(paths);
        Constraints.check(DataConfig.class, format, path, paths, testPath, delimiter, separator, decimal, skipLines, features, segments, labels, generator, series, window, text, split, normalizer, missing, categorical, streaming);
    }
}
