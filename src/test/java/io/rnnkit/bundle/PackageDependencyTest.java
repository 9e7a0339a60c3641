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
 * An application that loads a model needs none of the training code (docs/architecture.md, "Packages"), nor the
 * libraries only the command line uses: the compiled classes of {@code bundle} and of everything it may use ({@code config}, {@code data},
 * {@code nn}, the root package) name no class of {@code train}, {@code eval}, {@code tune}, {@code cli} or
 * {@code bench}, and none of the optional dependencies in pom.xml, which an application that depends on rnnkit
 * does not get. Read from the class files' constant pools, where every referenced class is named, so fully
 * qualified uses in code are caught too. LeanLibraryTest checks the same against the class path Maven really
 * resolves for such an application.
 */
class PackageDependencyTest {
    private static final Path CLASSES = Path.of("target/classes/io/rnnkit");
    private static final List<String> LOADING_SIDE = List.of("bundle", "config", "data", "nn", "serve");
    private static final List<String> TRAINING_SIDE = List.of("train", "eval", "tune", "cli", "bench");
    /** Packages of pom.xml's optional dependencies (and what only they bring): picocli, logback, Arbiter, the DL4J UI. */
    private static final List<String> COMMAND_LINE_LIBRARIES = List.of("picocli/", "ch/qos/logback/",
            "org/deeplearning4j/arbiter/", "org/deeplearning4j/ui/", "org/deeplearning4j/core/",
            "io/vertx/", "io/netty/");

    @Test
    void theLoadingSideNamesNoClassOfTheTrainingSide() throws IOException {
        List<String> prefixes = TRAINING_SIDE.stream().map(pkg -> "io/rnnkit/" + pkg + "/").toList();
        assertEquals(List.of(), violations(prefixes));
    }

    @Test
    void theLoadingSideNamesNoClassOfTheCommandLinesLibraries() throws IOException {
        assertEquals(List.of(), violations(COMMAND_LINE_LIBRARIES));
    }

    /** The scan can fail: the command line's classes do name those libraries. */
    @Test
    void theCommandLineNamesThem() throws IOException {
        String main = new String(Files.readAllBytes(CLASSES.resolve("cli/CommonOptions.class")), StandardCharsets.ISO_8859_1);
        assertTrue(COMMAND_LINE_LIBRARIES.stream().filter(main::contains).count() >= 2, "picocli and logback in CommonOptions");
    }

    /** "file uses prefix" for each loading-side class file whose constant pool names a class under one of {@code prefixes}. */
    private static List<String> violations(List<String> prefixes) throws IOException {
        List<Path> files = loadingSideClassFiles();
        List<String> violations = new ArrayList<>();
        for (Path file : files) {
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String prefix : prefixes) {
                if (constants.contains(prefix)) {
                    violations.add(CLASSES.relativize(file) + " uses " + prefix.replace('/', '.'));
                }
            }
        }
        return violations;
    }

    private static List<Path> loadingSideClassFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pkg : LOADING_SIDE) {
            try (Stream<Path> s = Files.walk(CLASSES.resolve(pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
        }
        try (Stream<Path> s = Files.list(CLASSES)) {
            s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith("RnnModel.class")), "the scan sees the bundle classes");
        return files;
    }
}
