package io.rnnkit.cli;

import io.rnnkit.train.EpochRecord;
import io.rnnkit.train.TrainingProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress for people: on a terminal a bar per epoch that redraws in place (batches, loss,
 * throughput in sequences per second, time left in the epoch), elsewhere (CI, files) one plain line per
 * epoch. DL4J's own logging stays quiet unless --verbose ({@link CommonOptions}).
 */
final class ConsoleProgress implements TrainingProgress {
    private final PrintStream out;
    private final boolean terminal;
    private long epochStart = System.nanoTime();

    ConsoleProgress(PrintStream out) {
        this(out, System.console() != null && System.getenv("CI") == null);
    }

    ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void batch(int epoch, int done, int batches, double loss, long sequences) {
        if (done == 1) {
            epochStart = System.nanoTime();
        }
        if (!terminal) {
            return;
        }
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double eta = done == 0 ? 0 : seconds / done * (batches - done);
        int width = 24;
        int filled = (int) Math.round(width * (double) done / batches);
        out.printf(Locale.ROOT, "\repoch %3d [%s%s] %d/%d loss %.4f  %.0f seq/s  eta %.0fs   ", epoch,
                "=".repeat(filled), " ".repeat(width - filled), done, batches, loss, sequences / Math.max(seconds, 1e-9), eta);
        out.flush();
    }

    @Override
    public void epoch(EpochRecord r, int epochs) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %3d/%d  train_loss %.4f", r.epoch(), epochs, r.trainLoss()));
        // the naive baselines do not change from epoch to epoch: they are shown once, in the final metrics
        r.validation().entrySet().stream().filter(e -> !e.getKey().contains("naive")).sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> line.append(String.format(Locale.ROOT, "  val_%s %.4f", e.getKey(), e.getValue())));
        line.append(String.format(Locale.ROOT, "  %.1fs%s", r.seconds(), r.best() ? "  *" : ""));
        out.print(terminal ? "\r" + line + " ".repeat(10) + "\n" : line + "\n");
        out.flush();
    }

    @Override
    public void note(String message) {
        out.println(message);
    }
}
