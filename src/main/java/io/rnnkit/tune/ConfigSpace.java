package io.rnnkit.tune;

import io.rnnkit.config.SearchConfig;
import io.rnnkit.config.SearchDimension;
import io.rnnkit.config.SearchSetting;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The search space as an Arbiter {@link ParameterSpace} whose value is a {@link CandidateConfig}. Each dimension
 * of the config's {@code search.space} is one of Arbiter's own leaf spaces (discrete, integer, continuous, log-uniform
 * continuous), so Arbiter's random, grid and genetic generators treat it as they would their own spaces. Real
 * values are rounded to 4 significant digits, so that what trials.csv shows is exactly what the candidate trained with.
 */
public final class ConfigSpace implements ParameterSpace<CandidateConfig> {
    // Arbiter's UI writes the search configuration as JSON (fields only) and reads it back: the leaves and the
    // column names travel, the config records stay behind
    @JsonIgnore
    private final List<SearchDimension> dimensions;
    private final List<ParameterSpace<?>> leaves = new ArrayList<>();
    private final List<String> columns;

    /** For Arbiter's JSON mapper only. */
    private ConfigSpace() {
        dimensions = List.of();
        columns = List.of();
    }

    public ConfigSpace(SearchConfig search) {
        this.dimensions = search.space();
        for (SearchDimension d : dimensions) {
            leaves.add(leaf(d));
        }
        columns = dimensions.stream().map(d -> CandidateConfig.column(d.path(), d.count() != null)).toList();
    }

    private static ParameterSpace<?> leaf(SearchDimension d) {
        if (d.choice() != null) {
            return new DiscreteParameterSpace<>(d.choice());
        }
        if (d.integer() != null) {
            return new IntegerParameterSpace(d.integer().get(0), d.integer().get(1));
        }
        if (d.count() != null) {
            return new IntegerParameterSpace(d.count().get(0), d.count().get(1));
        }
        if (d.uniform() != null) {
            return new ContinuousParameterSpace(d.uniform().get(0), d.uniform().get(1));
        }
        return new ContinuousParameterSpace(new LogUniformDistribution(d.logUniform().get(0), d.logUniform().get(1)));
    }

    /** The names of the searched values, as trials.csv heads its columns. */
    public List<String> columns() {
        return columns;
    }

    @Override
    public CandidateConfig getValue(double[] parameterValues) {
        List<SearchSetting> settings = new ArrayList<>();
        for (int i = 0; i < dimensions.size(); i++) {
            Object value = leaves.get(i).getValue(parameterValues);
            String text = value instanceof Double real ? round(real) : String.valueOf(value);
            settings.add(new SearchSetting(dimensions.get(i).path(), text, dimensions.get(i).count() != null));
        }
        return new CandidateConfig(settings);
    }

    static String round(double value) {
        String text = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return text.contains(".") ? text : text + ".0";
    }

    @Override
    public int numParameters() {
        return leaves.size();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<ParameterSpace> collectLeaves() {
        return new ArrayList<>(leaves);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("ConfigSpace is not a leaf: Arbiter numbers its leaves");
    }
}
