package io.rnnkit.bundle;

import io.rnnkit.config.DataFormat;
import io.rnnkit.config.TaskKind;
import io.rnnkit.config.Topology;
import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.SeriesConfig;
import io.rnnkit.config.WindowConfig;
import io.rnnkit.data.SplitData;

import java.util.List;

/**
 * Reading bundles of format version 1 (rnnkit before the bundle API): their contract lacked feature names,
 * the fixed-length flag and the forecast windows, which are recovered here from the config saved beside it.
 * Feature names of a series are its value columns when the config listed them (or its target, when that is the
 * only column), else {@code x1 … xF}, as the columns' names were not saved. Their provenance lacks only {@code configCommit}, which reads as null.
 */
final class FormatVersion1 {
    private FormatVersion1() {
    }

    /** {@code rnnkit/contract.json} as version 1 wrote it. */
    record Contract(Topology topology, TaskKind kind, int features, int outputs, List<String> classes, int minLength, int maxLength) {
    }

    static InputContract upgrade(Contract old, ExperimentConfig config) {
        DataFormat format = config.data().format();
        InputContract.Forecasting forecast = null;
        List<String> names = SplitData.positionalNames(old.features());
        if (format == DataFormat.SERIES) {
            SeriesConfig series = config.data().series();
            if (series.valueColumns().size() == old.features()) {
                names = series.valueColumns();
            } else if (old.features() == 1 && series.target() != null) {
                names = List.of(series.target());
            }
            String target = series.target() != null ? series.target() : names.get(0);
            WindowConfig window = config.data().window();
            forecast = new InputContract.Forecasting(window.lookback(), window.horizon(), target, Math.max(0, names.indexOf(target)));
        }
        return new InputContract(old.topology(), old.kind(), old.features(), names, format.fixedLength(), old.minLength(),
                old.maxLength(), old.outputs(), old.classes(), forecast, null);
    }
}
