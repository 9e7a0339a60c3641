package io.rnnkit.tune;

import io.rnnkit.config.Metric;
import io.rnnkit.config.SplitName;
import io.rnnkit.config.YamlNames;
import io.rnnkit.eval.SplitMetrics;
import io.rnnkit.train.ExperimentRunner;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Arbiter's score of a candidate: one metric of one split of the finished run (the best epoch's network, as
 * metrics.json has it), or with cross-validation and split: validation, its mean over the folds at the chosen epoch;
 * minimised or maximised as the metric demands.
 */
final class MetricScore implements ScoreFunction {
    private final Metric metric;
    private final SplitName split;

    MetricScore(Metric metric, SplitName split) {
        this.metric = metric;
        this.split = split;
    }

    /** For Arbiter's JSON mapper (its UI reads the search configuration back). */
    private MetricScore() {
        this(Metric.LOSS, SplitName.VALIDATION);
    }

    Metric metric() {
        return metric;
    }

    double of(ExperimentRunner.RunResult run) {
        if (run.crossValidation() != null && split == SplitName.VALIDATION) {
            return run.crossValidation().mean(YamlNames.of(metric)); // the folds are the validation: their mean at the chosen epoch
        }
        SplitMetrics m = run.metrics().get(YamlNames.of(split));
        if (m == null) {
            throw new IllegalStateException("the run has no " + YamlNames.of(split) + " split");
        }
        return m.get(YamlNames.of(metric));
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return of((ExperimentRunner.RunResult) model);
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return of((ExperimentRunner.RunResult) model);
    }

    @Override
    public boolean minimize() {
        return !metric.higherIsBetter();
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ExperimentRunner.RunResult.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }

    @Override
    public String toString() {
        return YamlNames.of(split) + " " + YamlNames.of(metric);
    }
}
