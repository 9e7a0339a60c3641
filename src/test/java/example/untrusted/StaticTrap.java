package example.untrusted;

/** Named by a crafted configuration.json's {@code @class}: its static initializer must never run. */
public final class StaticTrap {
    static {
        Traps.record("StaticTrap initialized");
    }
}
