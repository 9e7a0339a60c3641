package io.rnnkit.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * How many threads rnnkit's recurrent layers use for one forward or backward pass, and the pool they run
 * on. A pass splits its minibatch into that many parts of consecutive rows (never fewer than
 * {@link #MIN_ROWS} rows a part): the rows of a batch do not interact in the recurrence, so each thread runs
 * the whole time loop for its rows (its own per-step products and SIMD lanes) with no step-by-step
 * synchronisation. The products over all steps (input projection, weight gradients, input gradient) are
 * split by blocks of the result. DL4J's own layers are not affected.
 *
 * <p><b>Repeatability.</b> The split depends only on the minibatch size and the thread count, and partial
 * sums (the bias gradients) are added in part order, so the same thread count gives the same bits. A
 * different thread count can change the last bits of the bias gradient (float sums in another order)
 * and, through BLAS kernels that treat edge blocks differently, of the products.
 *
 * <p>The setting is process-wide, as ND4J's own thread settings are; the default is all cores
 * ({@link #defaultCount}); training sets it from {@code training.threads}. Parts beyond the first run on daemon threads of a shared pool;
 * the calling thread runs the first part itself.
 */
public final class LayerThreads {

    /** Rows a part gets at least: below that the per-step product is too small to be worth a thread. */
    static final int MIN_ROWS = 8;

    private static volatile int threads = defaultCount();
    private static ExecutorService pool;
    private static int poolSize;

    private LayerThreads() {
    }

    /**
     * The thread count when none is set: the system property {@code rnnkit.threads} if given (the test JVMs
     * set 1, as they run one OpenMP thread, two JVMs on two cores), else all cores.
     */
    public static int defaultCount() {
        String p = System.getProperty("rnnkit.threads");
        if (p != null && p.matches("[1-9][0-9]{0,3}")) {
            return Integer.parseInt(p);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The thread count the layers use. */
    public static int get() {
        return threads;
    }

    /**
     * Sets the thread count for every rnnkit layer in this JVM (1: one thread, as before threading).
     *
     * @throws IllegalArgumentException when {@code n} is not positive
     */
    public static void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("layer threads must be at least 1, got " + n);
        }
        threads = n;
    }

    /** Into how many parts a pass over {@code rows} rows is split: at most the thread count, each ≥ MIN_ROWS rows. */
    static int parts(long rows) {
        return (int) Math.max(1, Math.min(threads, rows / MIN_ROWS));
    }

    /** The first row of part {@code p} of {@code parts} over {@code rows} rows (part p is [start(p), start(p + 1))). */
    static int start(int rows, int parts, int p) {
        return (int) ((long) rows * p / parts);
    }

    /**
     * Runs {@code part.accept(p)} for p = 0 … parts − 1, part 0 on the calling thread and the others on the
     * pool, and returns when all have ended. An exception in any part is rethrown here (the first, by part).
     */
    static void run(int parts, IntConsumer part) {
        if (parts == 1) {
            part.accept(0);
            return;
        }
        ExecutorService p = pool(parts - 1);
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            int index = i;
            others.add(p.submit(() -> part.accept(index)));
        }
        RuntimeException failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException r ? r : new RuntimeException(e);
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts write into the caller's arrays: wait for them all the same
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static synchronized ExecutorService pool(int workers) {
        if (pool == null || poolSize < workers) {
            ExecutorService old = pool;
            poolSize = Math.max(workers, poolSize);
            pool = Executors.newFixedThreadPool(poolSize, r -> {
                Thread t = new Thread(r, "rnnkit-layer");
                t.setDaemon(true);
                return t;
            });
            if (old != null) {
                old.shutdown();
            }
        }
        return pool;
    }
}
