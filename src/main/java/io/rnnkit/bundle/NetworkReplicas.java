package io.rnnkit.bundle;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Replicas of a network, lent to one thread at a time; each is a network sharing the original's parameter
 * array, with whatever per-replica scratch {@code R} carries beside it.
 *
 * <p>Why: a DL4J {@link MultiLayerNetwork} keeps per-call state in its layers (the input, masks, the
 * recurrent state of {@code rnnTimeStep}), and its {@code output} methods are {@code synchronized}, so one
 * network serves one call at a time. A replica costs only its layer objects: its parameters are views of the
 * shared array ({@link io.rnnkit.nn.StepNetworks#sharing}), which inference only reads. Replicas are made on
 * demand, so there are as many as calls have ever run at once, and the most recently returned is lent first
 * (its memory is warm, and a stream stepped again on the replica it last used need not restore its state).
 * Borrowing and returning are one lock-free deque operation each.
 */
final class NetworkReplicas<R> {
    private final Supplier<R> factory;
    private final Deque<R> idle = new ConcurrentLinkedDeque<>();

    /** @param first a replica to lend first (the loaded network itself), or null to make all on demand */
    NetworkReplicas(Supplier<R> factory, R first) {
        this.factory = factory;
        if (first != null) {
            idle.push(first);
        }
    }

    /** Runs {@code work} on a replica no other thread is using meanwhile. */
    <T> T use(Function<R, T> work) {
        R replica = idle.pollFirst();
        if (replica == null) {
            replica = factory.get();
        }
        try {
            return work.apply(replica);
        } finally {
            idle.offerFirst(replica);
        }
    }
}
