package io.rnnkit.cli;

import io.rnnkit.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Write DIR/report.html: one self-contained page with a run's status, metrics, figures, provenance and config.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A run directory written by rnnkit train.")
    Path dir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        System.out.println("report: " + RunReport.write(dir));
        return 0;
    }
}
