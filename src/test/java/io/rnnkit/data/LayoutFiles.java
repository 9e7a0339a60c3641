package io.rnnkit.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of a {@link RowsGenerator} file (values, class label last) written in another layout, so that the streaming
 * path's tests read the same sequences whatever the layout: a {@code .ts} file, an {@code .arff} file, or a folder of
 * sequence files.
 */
public final class LayoutFiles {
    private LayoutFiles() {
    }

    /** The layouts besides rows, by their data.format name. */
    public static final List<String> FORMATS = List.of("sequence-files", "ts", "arff");

    /** Writes {@code rows} in {@code format} at {@code out} (a file, or a folder for sequence files); returns {@code out}. */
    public static Path write(Path rows, String format, Path out) throws IOException {
        List<String> lines = Files.readAllLines(rows, StandardCharsets.UTF_8);
        int length = lines.get(0).split(",").length - 1;
        switch (format) {
            case "ts" -> {
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    w.write("@problemName synth\n@univariate true\n@equalLength true\n@seriesLength " + length + "\n@classLabel true 0 1\n@data\n");
                    for (String line : lines) {
                        int cut = line.lastIndexOf(',');
                        w.write(line.substring(0, cut) + ":" + line.substring(cut + 1) + "\n");
                    }
                }
            }
            case "arff" -> {
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    w.write("@relation synth\n");
                    for (int t = 1; t <= length; t++) {
                        w.write("@attribute t" + t + " numeric\n");
                    }
                    w.write("@attribute target {0,1}\n@data\n");
                    for (String line : lines) {
                        w.write(line + "\n");
                    }
                }
            }
            case "sequence-files" -> {
                Files.createDirectories(out.resolve("features"));
                Files.createDirectories(out.resolve("labels"));
                for (int i = 0; i < lines.size(); i++) {
                    String[] fields = lines.get(i).split(",");
                    Files.writeString(out.resolve("features").resolve(i + ".csv"),
                            String.join("\n", List.of(fields).subList(0, length)) + "\n", StandardCharsets.UTF_8);
                    Files.writeString(out.resolve("labels").resolve(i + ".csv"), fields[length] + "\n", StandardCharsets.UTF_8);
                }
            }
            default -> throw new IllegalArgumentException(format);
        }
        return out;
    }
}
