package io.rnnkit.serve;

import io.rnnkit.bundle.ModelStream;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Open streaming sessions: each a {@link ModelStream} of one model under an unguessable id. A session idle
 * longer than the limit is gone (found so on use, and removed by {@link #expire} which the server runs
 * periodically); at most {@code capacity} are open at once.
 */
final class Sessions {
    /** One session; {@code lastUsed} in nanoseconds of the clock. */
    static final class Session {
        final String id;
        final String model;
        final ModelStream stream;
        volatile long lastUsed;

        Session(String id, String model, ModelStream stream, long now) {
            this.id = id;
            this.model = model;
            this.stream = stream;
            this.lastUsed = now;
        }
    }

    private final Map<String, Session> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final int capacity;
    private final long idleNanos;
    private final LongSupplier clock;
    private final AtomicInteger expired = new AtomicInteger();

    Sessions(int capacity, long idleNanos, LongSupplier clock) {
        this.capacity = capacity;
        this.idleNanos = idleNanos;
        this.clock = clock;
    }

    /** A new session, or null when {@code capacity} sessions are open. */
    Session open(String model, ModelStream stream) {
        if (count.incrementAndGet() > capacity) {
            count.decrementAndGet();
            expire();
            if (count.incrementAndGet() > capacity) {
                count.decrementAndGet();
                return null;
            }
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        Session session = new Session(HexFormat.of().formatHex(bytes), model, stream, clock.getAsLong());
        open.put(session.id, session);
        return session;
    }

    /** The model's open session of that id, its idle time restarted; null when there is none or it expired. */
    Session use(String model, String id) {
        Session session = open.get(id);
        if (session == null || !session.model.equals(model)) {
            return null;
        }
        long now = clock.getAsLong();
        if (now - session.lastUsed > idleNanos) {
            remove(session, true);
            return null;
        }
        session.lastUsed = now;
        return session;
    }

    /** Closes the model's session of that id; false when there was none. */
    boolean close(String model, String id) {
        Session session = open.get(id);
        return session != null && session.model.equals(model) && remove(session, false);
    }

    /** Removes every session idle longer than the limit. */
    void expire() {
        long now = clock.getAsLong();
        for (Session session : open.values()) {
            if (now - session.lastUsed > idleNanos) {
                remove(session, true);
            }
        }
    }

    private boolean remove(Session session, boolean idle) {
        if (open.remove(session.id, session)) {
            count.decrementAndGet();
            if (idle) {
                expired.incrementAndGet();
            }
            return true;
        }
        return false;
    }

    /** Open sessions of one model. */
    long openFor(String model) {
        return open.values().stream().filter(s -> s.model.equals(model)).count();
    }

    int expiredTotal() {
        return expired.get();
    }
}
