package io.rnnkit.bundle;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.rnnkit.config.ForecastStrategy;
import io.rnnkit.config.TaskKind;
import io.rnnkit.config.Topology;

import java.util.List;

/**
 * What a saved model expects and returns, so an application need not guess shapes.
 *
 * @param topology     the topology; contract.json writes its YAML name, such as {@code many-to-one}
 * @param kind         classification or regression (written {@code classification}, {@code regression})
 * @param features     values per time step
 * @param featureNames their names, in order: a series' value columns, else {@code x1 … xF}
 * @param fixedLength  whether the model takes sequences of exactly {@code maxLength} steps only (its training
 *                     layout had one length: rows, series windows, generated data); otherwise any length ≥ 1
 * @param minLength    shortest training sequence
 * @param maxLength    longest training sequence
 * @param outputs      classes or target values per answer of the network (a recursive forecaster's: 1, the next
 *                     step, though its forecasts have {@code horizon} values)
 * @param classes      class names in output order, or names of the target values ({@code t+1 … t+H} for forecasts)
 * @param forecast     for a model trained on windows cut from a series: how the windows were cut; else null
 * @param vocabulary   for a model that reads symbols: its input symbols in index order (text: tokens, each step's
 *                     feature is a token's index; sequence to sequence: source symbols, {@code <sep>}, target
 *                     symbols); null for numeric models and in bundles of format 2 and older
 */
public record InputContract(Topology topology, TaskKind kind, int features, List<String> featureNames, boolean fixedLength,
                            int minLength, int maxLength, int outputs, List<String> classes, Forecasting forecast,
                            List<String> vocabulary) {
    public InputContract {
        featureNames = List.copyOf(featureNames);
        classes = List.copyOf(classes);
        vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
    }

    /** A contract of a numeric model (no vocabulary). */
    public InputContract(Topology topology, TaskKind kind, int features, List<String> featureNames, boolean fixedLength,
                         int minLength, int maxLength, int outputs, List<String> classes, Forecasting forecast) {
        this(topology, kind, features, featureNames, fixedLength, minLength, maxLength, outputs, classes, forecast, null);
    }

    /**
     * How a forecaster's training windows were cut: it reads the last {@code lookback} steps of a series and
     * forecasts the next {@code horizon} values of one column at once.
     *
     * @param target        name of the forecast column
     * @param targetFeature its index among the features
     * @param strategy      direct (all {@code horizon} values from one network call) or recursive (a next-step
     *                      model, its forecasts fed back one step at a time); bundles saved before format 3 have
     *                      none in their contract.json, and are direct
     */
    public record Forecasting(int lookback, int horizon, String target, int targetFeature, ForecastStrategy strategy,
                              @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              CovariateColumns covariates) {
        public Forecasting {
            strategy = strategy == null ? ForecastStrategy.DIRECT : strategy;
        }

        /** A forecaster's windows without covariates. */
        public Forecasting(int lookback, int horizon, String target, int targetFeature, ForecastStrategy strategy) {
            this(lookback, horizon, target, targetFeature, strategy, null);
        }

        /** A direct forecaster's windows. */
        public Forecasting(int lookback, int horizon, String target, int targetFeature) {
            this(lookback, horizon, target, targetFeature, ForecastStrategy.DIRECT);
        }

        /** Whether forecasts are fed back step by step ({@code data.window.strategy: recursive}). */
        @JsonIgnore
        public boolean isRecursive() {
            return strategy == ForecastStrategy.RECURSIVE;
        }
    }

    /**
     * A forecaster's covariates by kind (format 7; absent without covariates): the columns of a step after the past-only
     * values are the known-future columns, the static ones and the calendar's sin/cos pairs, in that order
     * ({@link #featureNames} names their features). At a window's input step t the known-future and calendar features
     * hold the values of step {@code t + lead}, so a window's last {@code lead} steps carry the forecast steps' values.
     *
     * @param future   known-future columns, read for the forecast steps too
     * @param statics  columns constant within a series
     * @param calendar calendar features computed from the time column, such as {@code day-of-year}
     * @param lead     steps ahead that the known-future and calendar features are read (the horizon)
     */
    public record CovariateColumns(List<String> future, @com.fasterxml.jackson.annotation.JsonProperty("static") List<String> statics,
                                   List<io.rnnkit.config.CalendarField> calendar, int lead) {
        public CovariateColumns {
            future = List.copyOf(future);
            statics = List.copyOf(statics);
            calendar = List.copyOf(calendar);
        }
    }

    @JsonIgnore // derived from kind, not a field of contract.json
    public boolean isClassification() {
        return kind == TaskKind.CLASSIFICATION;
    }

    /**
     * Whether the model makes a sequence from one vector (one-to-many regression, such as a chart drawn from
     * its class and parameters): the vector is repeated over {@link #maxLength} steps and the network answers
     * at every step.
     */
    @JsonIgnore
    public boolean isVectorToSequence() {
        return topology == Topology.ONE_TO_MANY && !isClassification();
    }

    /** "exactly 60 steps" or "1 or more steps (trained on 20–95)". */
    public String lengthRule() {
        return fixedLength ? "exactly " + maxLength + " steps" : "1 or more steps (trained on " + minLength + "–" + maxLength + ")";
    }
}
