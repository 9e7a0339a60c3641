package io.rnnkit.tune;

import io.rnnkit.config.Metric;
import io.rnnkit.config.PrunerConfig;
import io.rnnkit.config.PrunerRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stops hopeless candidates early from their validation metric after each epoch (Arbiter has no such thing).
 * Values are compared as "goodness" g = v when the metric is maximised and g = −v when minimised.
 * <ul>
 * <li><b>Median stopping rule</b> (Golovin et al., Google Vizier, 2017): after epoch t ≥ warmup, stop a candidate
 *   whose best g over epochs 1..t is below the median, over the finished candidates that reached epoch t (at least
 *   {@code minCandidates} of them), of their best g over epochs 1..t.</li>
 * <li><b>Asynchronous successive halving</b> (Li et al., ASHA, 2020): rungs at epochs r_k = w·η^k; at a rung a
 *   candidate goes on only if its g is within the best ⌊n/η⌋ of the n values recorded at that rung by every
 *   candidate so far (itself included); while n &lt; η, only the best value goes on.</li>
 * </ul>
 * Thread-safe, so candidates trained in parallel share it.
 */
final class Pruner {
    private final PrunerConfig config;
    private final Metric metric;
    /** Best-so-far goodness of each finished candidate after each epoch. */
    private final List<double[]> finished = new ArrayList<>();
    /** Goodness recorded at each rung epoch, by candidate. */
    private final Map<Integer, Map<Integer, Double>> rungs = new HashMap<>();
    /** Each finished candidate's curve, in the order they finished: what a pruner elsewhere is made again from. */
    private final Map<Integer, List<Double>> curves = new LinkedHashMap<>();

    Pruner(PrunerConfig config, Metric metric) {
        this.config = config;
        this.metric = metric;
    }

    private double goodness(double value) {
        return metric.higherIsBetter() ? value : -value;
    }

    /** Remembers a finished candidate's per-epoch validation curve (also those read back on resume). */
    synchronized void finished(int candidate, List<Double> curve) {
        curves.put(candidate, List.copyOf(curve));
        double[] best = new double[curve.size()];
        double b = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < curve.size(); t++) {
            double g = goodness(curve.get(t));
            b = Double.isNaN(g) ? b : Math.max(b, g);
            best[t] = b;
            if (isRung(t + 1)) {
                rungs.computeIfAbsent(t + 1, k -> new HashMap<>()).put(candidate, g);
            }
        }
        finished.add(best);
    }

    /** The finished candidates' curves, in the order they finished. */
    synchronized Map<Integer, List<Double>> finishedCurves() {
        return new LinkedHashMap<>(curves);
    }

    /** A pruner that knows what {@code finished} holds: {@link #finishedCurves()} of another, such as the search's on a Spark driver. */
    static Pruner restore(PrunerConfig config, Metric metric, Map<Integer, List<Double>> finished) {
        Pruner p = new Pruner(config, metric);
        finished.forEach(p::finished);
        return p;
    }

    /**
     * Whether the candidate should stop after its {@code curve.size()}-th epoch.
     *
     * @param curve its validation metric after each epoch so far
     */
    synchronized boolean shouldStop(int candidate, List<Double> curve) {
        int epoch = curve.size();
        if (epoch < config.warmupEpochs()) {
            return false;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double v : curve) {
            double g = goodness(v);
            best = Double.isNaN(g) ? best : Math.max(best, g);
        }
        boolean stop = false;
        if (config.rules().contains(PrunerRule.MEDIAN)) {
            stop = belowMedian(epoch, best);
        }
        if (config.rules().contains(PrunerRule.SUCCESSIVE_HALVING) && isRung(epoch)) {
            double g = goodness(curve.get(epoch - 1));
            Map<Integer, Double> rung = rungs.computeIfAbsent(epoch, k -> new HashMap<>());
            rung.put(candidate, Double.isNaN(g) ? Double.NEGATIVE_INFINITY : g);
            stop |= !promotable(rung.values().stream().mapToDouble(Double::doubleValue).toArray(), rung.get(candidate));
        }
        return stop;
    }

    private boolean belowMedian(int epoch, double best) {
        List<Double> others = new ArrayList<>();
        for (double[] f : finished) {
            if (f.length >= epoch) {
                others.add(f[epoch - 1]);
            }
        }
        if (others.size() < config.minCandidates()) {
            return false;
        }
        return best < median(others);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** True when {@code g} is among the best max(1, ⌊n/η⌋) of the rung's n values. */
    private boolean promotable(double[] rung, double g) {
        int keep = Math.max(1, rung.length / config.reductionFactor());
        double[] sorted = java.util.Arrays.stream(rung).sorted().toArray();
        return g >= sorted[sorted.length - keep];
    }

    /** Rungs are at warmup·η^k epochs. */
    private boolean isRung(int epoch) {
        for (long r = config.warmupEpochs(); r <= epoch; r *= config.reductionFactor()) {
            if (r == epoch) {
                return true;
            }
        }
        return false;
    }
}
