package io.rnnkit.bundle;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What an application that depends on {@code io.rnnkit:rnnkit} gets, measured with a real Maven consumer project:
 * the packaged jar and pom.xml are put into a temporary local repository, a project depending on them
 * resolves its runtime class path, and the README's example is compiled and run on exactly that class path
 * against a committed bundle. Needs {@code target/rnnkit.jar}: run after {@code mvn package} (in {@code mvn verify}
 * the failsafe plugin does). Nothing is downloaded and the user's local repository is only read: it is the
 * temporary repository's one remote (a file: URL), so the test works offline.
 */
@Tag("packaged")
class LeanLibraryTest {
    private static final Path JAR = Path.of("target/rnnkit.jar").toAbsolutePath();
    private static final Path CLI_LIB = Path.of("target/lib").toAbsolutePath();
    /** Artifacts only the command line needs (pom.xml marks them optional) and what only they bring. */
    private static final List<String> COMMAND_LINE_ONLY = List.of("vertx", "netty", "arbiter", "picocli", "logback",
            "deeplearning4j-ui", "deeplearning4j-vertx", "deeplearning4j-core");
    /** Files that configure a logging backend by being on the class path. */
    private static final Pattern LOGGING_CONFIGURATION = Pattern.compile(
            "(.*/)?(logback(-test)?\\.(xml|groovy)|log4j2?(-test)?\\.(xml|properties|json|yaml)|simplelogger\\.properties|commons-logging\\.properties)"
                    + "|META-INF/services/org\\.slf4j\\.spi\\.SLF4JServiceProvider");
    /** The packages an application that loads bundles uses (PackageDependencyTest keeps training code out of them). */
    private static final Pattern LOADING_SIDE = Pattern.compile("io/rnnkit/(bundle/|config/|data/|nn/|[^/]+\\.class$)");
    private static final Pattern DESCRIBED_CLASS = Pattern.compile("L([\\w/$]+);");
    /** The figures the README's "Use a trained model" section states. */
    private static final Pattern README_FIGURES = Pattern.compile("\\*\\*(\\d+) jars, (\\d+) MiB\\*\\*");

    @TempDir
    static Path dir;
    /** The consumer project's runtime class path, as Maven resolved it, and its size. */
    private static List<Path> classPath;
    private static long mebibytes;

    @BeforeAll
    static void resolveTheClassPathOfAProjectThatDependsOnRnnkit() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: this test runs after mvn package");
        Path userRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        assertTrue(Files.isDirectory(userRepository), userRepository + " is missing: build rnnkit with Maven first");
        Path settings = Files.writeString(dir.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors><mirror><id>user-repository</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors>
                </settings>
                """.formatted(dir.resolve("repository"), userRepository.toUri()));
        Properties versions = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target/classes/io/rnnkit/version.properties"))) {
            versions.load(in);
        }
        String version = versions.getProperty("rnnkit.version");
        // installed as mvn install lays it out (a jar and its pom.xml), without the install plugin, which the
        // build itself never uses and so may be missing from the user's repository
        Path installed = Files.createDirectories(dir.resolve("repository/io/rnnkit/rnnkit").resolve(version));
        Files.copy(JAR, installed.resolve("rnnkit-" + version + ".jar"));
        Files.copy(Path.of("pom.xml"), installed.resolve("rnnkit-" + version + ".pom"));
        Path consumer = Files.createDirectories(dir.resolve("consumer"));
        Files.writeString(consumer.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>application</artifactId>
                  <version>1</version>
                  <dependencies>
                    <dependency><groupId>io.rnnkit</groupId><artifactId>rnnkit</artifactId><version>%s</version></dependency>
                  </dependencies>
                </project>
                """.formatted(version));
        Path list = dir.resolve("classpath.txt");
        // the dependency plugin at the version rnnkit's own build uses, so the user's repository has it
        Matcher plugin = Pattern.compile("<artifactId>maven-dependency-plugin</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(plugin.find(), "pom.xml names maven-dependency-plugin's version");
        maven(settings, "-f", consumer.resolve("pom.xml").toString(), "org.apache.maven.plugins:maven-dependency-plugin:" + plugin.group(1) + ":build-classpath",
                "-DincludeScope=runtime", "-Dmdep.outputFile=" + list);
        classPath = Arrays.stream(Files.readString(list).strip().split(File.pathSeparator)).map(Path::of).toList();
        long bytes = 0;
        for (Path jar : classPath) {
            bytes += Files.size(jar);
        }
        mebibytes = Math.round(bytes / 1048576.0);
        System.out.printf("an application that depends on io.rnnkit:rnnkit gets %d jars, %d MiB (the command line's target/lib: %d jars)%n",
                classPath.size(), mebibytes, CLI_LIB.toFile().list().length);
    }

    private static void maven(Path settings, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-s", settings.toString()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("maven.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("Maven did not finish in 5 minutes: " + String.join(" ", command));
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }

    private static Path rnnkitJar() throws IOException {
        List<Path> rnnkit = classPath.stream().filter(j -> j.getFileName().toString().startsWith("rnnkit-")).toList();
        assertEquals(1, rnnkit.size(), "one rnnkit jar: " + rnnkit);
        assertTrue(rnnkit.get(0).startsWith(dir), "rnnkit comes from the temporary repository: " + rnnkit.get(0));
        assertArrayEquals(Files.readAllBytes(JAR), Files.readAllBytes(rnnkit.get(0)), "the jar resolved is the one just packaged");
        return rnnkit.get(0);
    }

    @Test
    void theApplicationGetsNoneOfTheCommandLinesLibrariesAndTheSameVersionsOfTheRest() throws IOException {
        Path rnnkit = rnnkitJar();
        List<String> names = classPath.stream().map(j -> j.getFileName().toString()).toList();
        assertEquals(List.of(), names.stream().filter(n -> COMMAND_LINE_ONLY.stream().anyMatch(n::contains)).toList());
        Set<String> cli = Set.of(CLI_LIB.toFile().list());
        assertTrue(cli.stream().anyMatch(n -> n.startsWith("picocli-")), "the command line keeps its libraries in target/lib");
        assertEquals(List.of(), classPath.stream().filter(j -> !j.equals(rnnkit) && !cli.contains(j.getFileName().toString())).toList(),
                "jars the command line does not run with (another version resolved)");
    }

    @Test
    void theReadmeStatesTheMeasuredSize() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher stated = README_FIGURES.matcher(readme.substring(readme.indexOf(ReadmeExampleTest.SECTION)));
        assertTrue(stated.find(), "the README's section '" + ReadmeExampleTest.SECTION + "' states **N jars, M MiB**");
        assertEquals(classPath.size() + " jars, " + mebibytes + " MiB", stated.group(1) + " jars, " + stated.group(2) + " MiB",
                "measured vs stated in README.md: update the README");
    }

    @Test
    void theRnnkitJarCarriesNoLoggingConfiguration() throws IOException {
        try (JarFile jar = new JarFile(rnnkitJar().toFile())) {
            List<String> entries = jar.stream().map(JarEntry::getName).toList();
            assertTrue(entries.contains("io/rnnkit/bundle/RnnModel.class"), "the scan reads the library's jar");
            assertEquals(List.of(), entries.stream().filter(e -> LOGGING_CONFIGURATION.matcher(e).matches()).toList());
        }
    }

    /**
     * Every class that the loading side's class files name (in class constants and in type descriptors) is on the
     * application's class path or in the JDK: none is left to fail with NoClassDefFoundError on some code path
     * the example below does not take.
     */
    @Test
    void everyClassTheLoadingSideNamesIsOnTheApplicationsClassPath() throws IOException {
        Set<String> jdkPackages = ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor)
                .flatMap(d -> d.packages().stream()).map(p -> p.replace('.', '/')).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (JarFile jar = new JarFile(rnnkitJar().toFile())) {
            for (JarEntry entry : jar.stream().filter(e -> LOADING_SIDE.matcher(e.getName()).lookingAt() && e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    named.addAll(classesNamed(in));
                }
            }
        }
        assertTrue(named.contains("org/deeplearning4j/nn/multilayer/MultiLayerNetwork"), "the scan sees what the bundle classes name");
        List<String> missing = new ArrayList<>();
        URL[] urls = new URL[classPath.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = classPath.get(i).toUri().toURL();
        }
        try (URLClassLoader application = new URLClassLoader(urls, null)) {
            for (String name : named) {
                int slash = name.lastIndexOf('/');
                boolean inJdk = slash > 0 && jdkPackages.contains(name.substring(0, slash));
                if (!inJdk && application.findResource(name + ".class") == null) {
                    missing.add(name.replace('/', '.'));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /** The class names in a class file's constant pool: CONSTANT_Class entries and the types in descriptors and signatures. */
    static Set<String> classesNamed(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        assertEquals(0xCAFEBABE, in.readInt(), "a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndexes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;   // eight-byte constants take two slots
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        Set<String> names = new TreeSet<>();
        for (int index : classIndexes) {
            String name = utf8[index];
            if (!name.startsWith("[")) {
                names.add(name);   // array classes ("[I", "[Lx/Y;") are taken with the descriptors below
            }
        }
        for (String text : utf8) {
            if (text != null && (text.startsWith("(") || text.startsWith("L") || text.startsWith("<") || text.startsWith("["))) {
                Matcher m = DESCRIBED_CLASS.matcher(text);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * The README's example ("Use a trained model from your application") compiles on the application's class path
     * and runs there, in a JVM started as a plain application is (no options), on the committed format-1 classifier.
     */
    @Test
    void theReadmeExampleRunsOnTheApplicationsClassPath() throws Exception {
        String applicationPath = classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path classes = dir.resolve("example");
        ExternalJava.compile(classes, "ClassifyExample", ReadmeExampleTest.example(), applicationPath);
        Path bundle = dir.resolve("classifier.zip");
        try (InputStream in = LeanLibraryTest.class.getResourceAsStream("format-1/classifier.zip")) {
            Files.copy(in, bundle);
        }
        List<String> lines = ExternalJava.run(applicationPath, List.of(), classes, "ClassifyExample", bundle.toString()).lines().toList();

        Classification expected = RnnModel.load(bundle).classify(new double[12][1]);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith(expected.label() + " ("), lines.get(0) + " vs " + expected);
        String[] last = lines.get(1).split(" ");
        assertEquals(expected.label(), last[0]);
        assertEquals(expected.probabilities()[expected.index()], Double.parseDouble(last[1]), 1e-6);
        // SLF4J is there (DL4J logs through it) but no backend, so nothing of rnnkit's takes over the host's logging
        String stderr = Files.readString(classes.resolve("stderr.txt"), StandardCharsets.UTF_8);
        assertTrue(stderr.contains("No SLF4J providers were found"), stderr);
    }
}
