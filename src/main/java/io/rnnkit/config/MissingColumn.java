package io.rnnkit.config;

import java.util.List;

@Doc("How one column's missing values are marked and treated; unset fields fall back to data.missing's.")
public record MissingColumn(
        @Doc("The column's name in the header.") String column,
        @Doc("Markers for this column instead of data.missing.markers.") @Optional List<String> markers,
        @Doc("drop, forward-fill, linear or mask; absent: data.missing.policy.") @Optional MissingPolicy policy) {
    public MissingColumn {
        markers = markers == null ? null : List.copyOf(markers);
        Constraints.check(MissingColumn.class, column, markers, policy);
    }
}
