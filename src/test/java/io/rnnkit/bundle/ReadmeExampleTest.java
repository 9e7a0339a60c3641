package io.rnnkit.bundle;

import io.rnnkit.TrainedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example for applications compiles against rnnkit's runtime class path alone and does what it says. */
class ReadmeExampleTest {
    static final String SECTION = "## Use a trained model from your application";

    @TempDir
    Path dir;

    /** The first {@code ```java} block after the section heading. */
    static String example() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "README.md has no section '" + SECTION + "'");
        int start = readme.indexOf("```java\n", section);
        assertTrue(start >= 0, "no ```java block in the section");
        start += "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void theReadmeExampleCompilesAndPrintsTheModelsAnswer() throws Exception {
        Path classes = dir.resolve("example");
        ExternalJava.compile(classes, "ClassifyExample", example());
        Path bundle = TrainedModels.classifier().bundle();

        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loader.loadClass("ClassifyExample").getMethod("main", String[].class).invoke(null, (Object) new String[]{bundle.toString()});
        } finally {
            System.setOut(original);
        }

        RnnModel model = RnnModel.load(bundle);
        Classification expected = model.classify(new double[12][1]);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
        assertEquals(expected.toString(), lines.get(0));
        String[] last = lines.get(1).split(" ");
        assertEquals(expected.label(), last[0]);
        assertEquals(expected.probabilities()[expected.index()], Double.parseDouble(last[1]), 1e-6,
                "the stream ends with classify's probability");
    }
}
