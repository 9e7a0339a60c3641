package io.rnnkit.cli;

import io.rnnkit.train.EpochRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar on a terminal, one plain line per epoch elsewhere. */
class ConsoleProgressTest {
    private static String run(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
        p.batch(1, 1, 2, 0.9, 32);
        p.batch(1, 2, 2, 0.7, 50);
        p.epoch(new EpochRecord(1, 0.8, Map.of("accuracy", 0.5), 1.25, true), 3);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTerminalGetsABarWithThroughputAndTimeLeft() {
        String out = run(true);
        assertTrue(out.contains("\repoch   1 [") && out.contains("2/2 loss 0.7000") && out.contains(" seq/s  eta 0s"), out);
        assertTrue(out.endsWith("epoch   1/3  train_loss 0.8000  val_accuracy 0.5000  1.3s  *" + " ".repeat(10) + "\n"), out);
    }

    @Test
    void elsewhereOneLinePerEpochAndNothingPerBatch() {
        assertEquals("epoch   1/3  train_loss 0.8000  val_accuracy 0.5000  1.3s  *\n", run(false));
    }
}
