package io.rnnkit.tune;

import io.rnnkit.config.DataConfig;
import io.rnnkit.config.DataFormat;
import io.rnnkit.config.YamlNames;
import io.rnnkit.data.SplitData;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;

import java.util.Properties;

/**
 * The data of a search, as Arbiter's configuration names it: each candidate reads its data through its own config
 * ({@link io.rnnkit.train.ExperimentRunner#run}), so Arbiter never asks this source for any; it exists so that the
 * configuration says where the data comes from (the properties hold the data section's format and paths), which
 * Arbiter's UI shows and requires.
 */
public final class ConfigData implements DataSource {
    static Properties describe(DataConfig data) {
        Properties p = new Properties();
        p.setProperty("format", YamlNames.of(data.format()));
        if (data.path() != null) {
            p.setProperty("path", data.path());
        }
        if (!data.paths().isEmpty()) {
            p.setProperty("paths", String.join(", ", data.paths()));
        }
        if (data.testPath() != null) {
            p.setProperty("testPath", data.testPath());
        }
        if (data.format() == DataFormat.GENERATED) {
            p.setProperty("generator", YamlNames.of(data.generator().kind()));
        }
        return p;
    }

    @Override
    public void configure(Properties properties) {
    }

    @Override
    public Object trainData() {
        throw new UnsupportedOperationException("rnnkit candidates read their data through their config, not from Arbiter");
    }

    @Override
    public Object testData() {
        throw new UnsupportedOperationException("rnnkit candidates read their data through their config, not from Arbiter");
    }

    @Override
    public Class<?> getDataType() {
        return SplitData.class;
    }
}
