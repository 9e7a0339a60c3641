package io.rnnkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of rnnkit and of the Deeplearning4j it was built against, as Maven wrote them at build time. */
public final class Versions {
    private static final Properties PROPERTIES = load();

    private Versions() {
    }

    public static String rnnkit() {
        return PROPERTIES.getProperty("rnnkit.version", "unknown");
    }

    public static String dl4j() {
        return PROPERTIES.getProperty("dl4j.version", "unknown");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions are informative only; an unreadable resource leaves them "unknown"
        }
        return p;
    }
}
