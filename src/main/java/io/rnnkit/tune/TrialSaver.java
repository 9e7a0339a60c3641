package io.rnnkit.tune;

import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * Arbiter's result saver: each finished candidate ({@link TrialRecord}, failed ones included) goes to the search
 * directory the moment it ends, so a killed search loses at most the candidates that were still training.
 * (Arbiter's {@code OptimizationResult} is not Java-serializable, so the record, not the result, is what is saved.)
 */
final class TrialSaver implements ResultSaver {
    @JsonIgnore
    private final SearchDirectory directory;

    TrialSaver(SearchDirectory directory) {
        this.directory = directory;
    }

    /** For Arbiter's JSON mapper (its UI reads the search configuration back). */
    private TrialSaver() {
        this(null);
    }

    @Override
    public ResultReference saveModel(OptimizationResult result, Object model) {
        TrialRecord record = (TrialRecord) model;
        directory.save(record);
        return new ResultReference() {
            @Override
            public OptimizationResult getResult() {
                return result;
            }

            @Override
            public Object getResultModel() {
                return directory.trial(record.id());
            }
        };
    }

    @Override
    public List<Class<?>> getSupportedCandidateTypes() {
        return List.of(CandidateConfig.class);
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(TrialRecord.class);
    }
}
