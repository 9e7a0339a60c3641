package io.rnnkit.bundle;

/**
 * A forecast asked of a model that reads covariates known in the future ({@code data.series.futureColumns},
 * {@code calendar}) without their values for the forecast steps, or with values of the wrong shape.
 */
public class MissingCovariatesException extends ModelInputException {
    public MissingCovariatesException(String detail) {
        super(-1, detail);
    }
}
