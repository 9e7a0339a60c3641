package io.rnnkit.config;

@Doc("How one column's values are merged when rows share a time.")
public record DuplicateColumn(
        @Doc("The column's name in the header.") String column,
        @Doc("refuse, first, last or mean for a number column; first, last or any (every value, multi-hot) for a categorical one.")
        DuplicatePolicy policy) {
    public DuplicateColumn {
        Constraints.check(DuplicateColumn.class, column, policy);
    }
}
