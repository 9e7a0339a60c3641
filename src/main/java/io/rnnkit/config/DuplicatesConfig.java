package io.rnnkit.config;

import java.util.List;

@Doc("Rows with the same time: refused, or merged column by column. A plain policy (duplicates: mean) is short for {policy: mean}.")
@Shorthand("policy")
public record DuplicatesConfig(
        @Doc("refuse, or how number columns are merged: first, last or mean (of the observed values); categorical columns keep"
                + " every value of the merged rows (multi-hot, policy any) unless they list their own.")
        @Default("refuse") DuplicatePolicy policy,
        @Doc("Per-column policies, such as [{column: traffic_volume, policy: last}, {column: weather_main, policy: first}].")
        @Default("[]") List<DuplicateColumn> columns) {
    public DuplicatesConfig {
        columns = columns == null ? null : List.copyOf(columns);
        Constraints.check(DuplicatesConfig.class, policy, columns);
    }

    /** Whether rows with a repeated time may be merged at all (some policy other than refuse is declared). */
    public boolean declared() {
        return policy != DuplicatePolicy.REFUSE || !columns.isEmpty();
    }

    /** The policy of a column: its own entry's, else {@code any} for a categorical column, else {@link #policy}. */
    public DuplicatePolicy of(String column, boolean categorical) {
        for (DuplicateColumn c : columns) {
            if (c.column().equals(column)) {
                return c.policy();
            }
        }
        return categorical && policy != DuplicatePolicy.REFUSE ? DuplicatePolicy.ANY : policy;
    }
}
