package io.rnnkit.bundle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application that loads a model needs none of the training code (design.md §2): the compiled classes of
 * {@code bundle} and of everything it may use ({@code config}, {@code data}, {@code nn}, the root package) name
 * no class of {@code train}, {@code eval}, {@code tune}, {@code cli} or {@code bench}. Read from the class files'
 * constant pools, where every referenced class is named, so fully qualified uses in code are caught too.
 */
class PackageDependencyTest {
    private static final List<String> LOADING_SIDE = List.of("bundle", "config", "data", "nn", "serve");
    private static final List<String> TRAINING_SIDE = List.of("train", "eval", "tune", "cli", "bench");

    @Test
    void theLoadingSideNamesNoClassOfTheTrainingSide() throws IOException {
        Path classes = Path.of("target/classes/io/rnnkit");
        List<Path> files = new ArrayList<>();
        for (String pkg : LOADING_SIDE) {
            try (Stream<Path> s = Files.walk(classes.resolve(pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
        }
        try (Stream<Path> s = Files.list(classes)) {
            s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith("RnnModel.class")), "the scan sees the bundle classes");
        List<String> violations = new ArrayList<>();
        for (Path file : files) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String pkg : TRAINING_SIDE) {
                if (constants.contains("io/rnnkit/" + pkg + "/")) {
                    violations.add(classes.relativize(file) + " uses io.rnnkit." + pkg);
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
