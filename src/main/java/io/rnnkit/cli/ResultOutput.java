package io.rnnkit.cli;

import io.rnnkit.AtomicFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where a command's result text goes: {@code --output} (whole or not at all) or standard output. */
final class ResultOutput {
    private ResultOutput() {
    }

    /** Writes {@code text} to {@code output}, then prints {@code summary}; to standard output when there is no file. */
    static void write(Path output, CharSequence text, String summary) {
        if (output == null || AtomicFiles.isStandardOutput(output)) {
            // through System.out: reopening /dev/stdout would truncate a redirected file and write at an offset of its own
            System.out.print(text);
        } else {
            AtomicFiles.write(output, text.toString().getBytes(StandardCharsets.UTF_8));
            System.out.println(summary);
        }
    }
}
