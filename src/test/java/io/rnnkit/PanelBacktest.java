package io.rnnkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small backtested panel for tests: two regions of 40 quarters with a season of 4 and scales 50 apart, each scaled on its
 * own, backtested from every origin with a refit every 5; its 12 test quarters per series hold 11 windows of horizon 2.
 */
public final class PanelBacktest {
    private PanelBacktest() {
    }

    /** Writes {@code panel.csv} and {@code panel.yaml} into {@code dir}; the config's path. */
    public static Path write(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("Quarter,Region,Trips\n");
        double[] season = {1.2, 0.9, 1.0, 0.9};
        for (int t = 0; t < 40; t++) { // each series' rows together, as the streaming path reads them
            csv.append(t).append(",\"Alpha, North\",").append(100 * season[t % 4] + t % 3).append('\n');
        }
        for (int t = 0; t < 40; t++) {
            csv.append(t).append(",Beta,").append(5000 * season[t % 4] + 7 * (t % 5)).append('\n');
        }
        return Files.writeString(dir.resolve("panel.yaml"), """
                name: panel-bt
                task: {kind: regression}
                data:
                  format: series
                  path: %s
                  series: {timeColumn: Quarter, idColumns: [Region], normalizerScope: per-series, seasonalPeriod: 4}
                  window: {lookback: 4, horizon: 2}
                  split: {train: 0.6, validation: 0.1, test: 0.3}
                model: {layers: [{type: lstm, units: 4}]}
                training: {epochs: 1, batchSize: 16}
                evaluation: {backtest: {refitEvery: 5}}
                """.formatted(Files.writeString(dir.resolve("panel.csv"), csv.toString())));
    }
}
