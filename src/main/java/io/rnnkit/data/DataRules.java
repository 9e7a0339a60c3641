package io.rnnkit.data;

import io.rnnkit.config.ConfigLocations;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.Task;
import io.rnnkit.nn.MemoryEstimate;

/**
 * Rules that need the data as well as the config, checked right after the data is read and before any
 * training, each pointing at the YAML field to change.
 */
final class DataRules {
    private DataRules() {
    }

    static void check(ExperimentConfig config, SplitData data, ConfigLocations where) {
        int tbptt = config.training().tbpttLength();
        int longest = data.train().maxLength();
        MemoryEstimate.of(config, Task.of(config).inputWidth(data.features(), data.vocabulary()), data.outputs(), Math.min(config.training().batchSize(), data.train().size()),
                tbptt > 0 ? Math.min(tbptt, longest) : longest).checkFits(config, where);
        if (tbptt > longest) {
            // DL4J cuts each minibatch into T / tbpttLength segments and silently trains on none when that is 0
            throw where.error("training.tbpttLength", tbptt + " is longer than the longest training sequence (" + longest
                    + " steps), so DL4J would silently skip training; use at most " + longest + ", or 0 for full BPTT");
        }
        if (Task.of(config).detectsAnomalies() && data.features() != 1) {
            // the detector forecasts each step from the steps before it, which it must be able to read: its one column
            throw where.error("data.series.valueColumns", "an anomaly detector scans one column, but the series has " + data.features()
                    + " " + data.featureNames() + "; set data.series.valueColumns: [" + data.featureNames().get(data.forecast().targetFeature()) + "]");
        }
        try {
            data.lossWeights(config.training().classWeights());
        } catch (IllegalArgumentException e) {
            // the message starts with the class name, the key under training.classWeights
            String name = e.getMessage().substring(0, e.getMessage().indexOf(':'));
            throw where.error("training.classWeights." + name, e.getMessage().substring(name.length() + 2));
        }
        if (data.forecast() != null && config.data().window().recursive() && data.features() != 1) {
            throw where.error("data.window.strategy", "recursive forecasts are fed back as the next input step, so the target must be"
                    + " the only value column, but the series has " + data.features() + " " + data.featureNames()
                    + "; set data.series.valueColumns: [" + data.featureNames().get(data.forecast().targetFeature()) + "] or use strategy: direct");
        }
    }
}
