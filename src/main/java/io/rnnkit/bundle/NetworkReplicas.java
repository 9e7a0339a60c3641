package io.rnnkit.bundle;

import io.rnnkit.nn.StepNetworks;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * Networks of one configuration that share one parameter array, lent to one thread at a time.
 *
 * <p>Why: a DL4J {@link MultiLayerNetwork} keeps per-call state in its layers (the input, masks, the
 * recurrent state of {@code rnnTimeStep}), and its {@code output} methods are {@code synchronized}, so one
 * network serves one call at a time. A replica costs only its layer objects: its parameters are views of the
 * shared array ({@link StepNetworks#sharing}), which inference only reads. Replicas are made on demand,
 * so there are as many as calls have ever run at once, and the most recently returned is lent first (it is
 * the one whose memory is warm). Borrowing and returning are a lock-free deque operation each.
 */
final class NetworkReplicas {
    private final MultiLayerConfiguration conf;
    private final INDArray parameters;
    private final Deque<MultiLayerNetwork> idle = new ConcurrentLinkedDeque<>();

    /** @param first a network of {@code conf} on {@code parameters} to lend first, or null to make all on demand */
    NetworkReplicas(MultiLayerConfiguration conf, INDArray parameters, MultiLayerNetwork first) {
        this.conf = conf;
        this.parameters = parameters;
        if (first != null) {
            idle.push(first);
        }
    }

    /** Runs {@code work} on a network no other thread is using meanwhile. */
    <T> T use(Function<MultiLayerNetwork, T> work) {
        MultiLayerNetwork net = idle.pollFirst();
        if (net == null) {
            net = StepNetworks.sharing(conf, parameters);
        }
        try {
            return work.apply(net);
        } finally {
            idle.offerFirst(net);
        }
    }
}
