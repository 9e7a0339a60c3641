package example.untrusted;

import java.util.ArrayList;
import java.util.List;

/**
 * Classes outside rnnkit, DL4J and ND4J that crafted bundles name: each records here when the JVM initializes,
 * constructs or deserializes it, so a test can tell that loading a bundle ran none of them.
 */
public final class Traps {
    private static final List<String> EVENTS = new ArrayList<>();

    private Traps() {
    }

    static synchronized void record(String event) {
        EVENTS.add(event);
    }

    /** What ran so far in this JVM. */
    public static synchronized List<String> events() {
        return List.copyOf(EVENTS);
    }
}
