package io.rnnkit.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks of the {@code search} section that need the rest of the config: the metric must be one the task
 * produces on a split that exists, and every dimension must name a real field and fit its type. The latter is
 * checked by applying each choice and both ends of each range to the config through the same tree edits as
 * {@code --set} and binding the result, so a dimension is accepted exactly when its values could be written in
 * the file.
 */
final class SearchRules {
    private SearchRules() {
    }

    /** @param bind the binding problems of the config with one setting applied */
    static List<Problem> check(ExperimentConfig c, ConfigLocations where, Function<SearchSetting, List<Problem>> bind) {
        SearchConfig search = c.search();
        List<Problem> out = new ArrayList<>();
        TaskKind kind = c.task().kind();
        if (!search.metric().appliesTo(kind)) {
            out.add(where.problem("search.metric", YamlNames.of(search.metric()) + " is not a metric of a " + YamlNames.of(kind)
                    + " task; use " + ConfigRules.metricsOf(kind)));
        }
        // with cross-validation the folds are the validation, and split: validation scores a candidate by their mean
        double validation = c.training().crossValidation().enabled() ? 1 : c.data().split().validation();
        if (search.split() == SplitName.VALIDATION && validation == 0) {
            out.add(where.problem("search.split", "validation, but data.split.validation is 0, so the runs have no validation metrics;"
                    + " give data.split.validation a fraction"));
        }
        if (search.pruner() != null && validation == 0) {
            out.add(where.problem("search.pruner", "prunes on the validation metric after each epoch, but data.split.validation is 0"));
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < search.space().size(); i++) {
            SearchDimension d = search.space().get(i);
            String at = "search.space[" + i + "]";
            if (!paths.add(d.path() + (d.count() != null ? "#count" : ""))) {
                out.add(where.problem(at + ".path", d.path() + " is searched twice; give each field one dimension"));
                continue;
            }
            if (d.path().equals("search") || d.path().startsWith("search.") || d.path().startsWith("search[")) {
                out.add(where.problem(at + ".path", "a search cannot change its own search section"));
                continue;
            }
            String key = d.choice() != null ? "choice" : d.integer() != null ? "integer" : d.uniform() != null ? "uniform"
                    : d.logUniform() != null ? "logUniform" : "count";
            for (String value : d.extremes()) {
                List<Problem> problems = bind.apply(new SearchSetting(d.path(), value, d.count() != null));
                if (!problems.isEmpty()) {
                    Problem first = problems.get(0);
                    String field = first.path().isEmpty() ? d.path() : first.path();
                    boolean unknown = first.message().startsWith("unknown key") || first.message().contains("is not in the config")
                            || first.message().contains("out of range") || first.message().contains("is not a")
                            || first.message().contains("has no entry");
                    out.add(unknown
                            ? where.problem(at + ".path", "no such field: " + field + ": " + first.message())
                            : where.problem(at + "." + key, "value " + value + " does not fit " + field + ": " + first.message()));
                    break;
                }
            }
        }
        return out;
    }
}
