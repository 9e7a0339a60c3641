package io.rnnkit.config;

import java.util.List;

@Doc("Missing values in a series (format: series): how they are written and what becomes of them.")
public record MissingConfig(
        @Doc("Field texts that mean 'missing' in every value column, such as NA, ? or an empty string \"\". A marker that is a number"
                + " (a sentinel such as -200) is matched as a number, so -200,0 with decimal: comma matches too. Empty: nothing is missing.")
        @Default("[]") List<String> markers,
        @Doc("drop (the windows whose inputs hold one), forward-fill, linear (interpolation) or mask (the training mean plus a 0/1"
                + " indicator feature). A window with a missing target is never trained on or scored, whatever the policy.")
        @Default("drop") MissingPolicy policy,
        @Doc("Per-column markers and policies, such as [{column: CO(GT), policy: mask}].") @Default("[]") List<MissingColumn> columns) {
    public MissingConfig {
        markers = markers == null ? null : List.copyOf(markers);
        columns = columns == null ? null : List.copyOf(columns);
        Constraints.check(MissingConfig.class, markers, policy, columns);
    }
}
