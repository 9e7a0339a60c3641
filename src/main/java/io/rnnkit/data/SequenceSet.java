package io.rnnkit.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Labelled sequences, before they become tensors: held in memory, or views that read (a streaming cache's) or cut (a
 * series' windows) a sequence each time it is asked for. Each sequence is {@code [T][features]}. Labels
 * are a class index or a target vector, either one per sequence (many-to-one) or one per time step
 * (many-to-many, {@link #perStep()}); a per-sequence label is stored as a label for a single step.
 */
public final class SequenceSet {
    private final List<double[][]> sequences;
    private final List<int[]> classes;
    private final List<double[][]> targets;
    private final boolean perStep;
    /** For windows cut from a series: where in the series each window's first target lies; else null. */
    private final int[] origins;
    /**
     * For sequences read or cut when asked for (a {@link SequenceCache}'s, or windows of a series): their shortest and longest
     * length, known without reading them; else null.
     */
    private int[] lengths;
    /** Whether the sequences are read from a streaming cache ({@link #cached}). */
    private boolean streamed;

    private SequenceSet(List<double[][]> sequences, List<int[]> classes, List<double[][]> targets, boolean perStep) {
        this(sequences, classes, targets, perStep, null);
    }

    private SequenceSet(List<double[][]> sequences, List<int[]> classes, List<double[][]> targets, boolean perStep, int[] origins) {
        this.sequences = kept(sequences);
        this.origins = origins == null ? null : origins.clone();
        if (origins != null && origins.length != sequences.size()) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + origins.length + " origins");
        }
        this.classes = classes == null ? null : kept(classes);
        this.targets = targets == null ? null : kept(targets);
        this.perStep = perStep;
        int labels = classes != null ? classes.size() : targets.size();
        if (labels != sequences.size()) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + labels + " labels");
        }
        if (perStep && !(sequences instanceof SequenceCache.View)) { // a view is cut to its labels' length when read (StreamedText)
            for (int i = 0; i < sequences.size(); i++) {
                int steps = classes != null ? classes.get(i).length : targets.get(i).length;
                if (steps != sequences.get(i).length) {
                    throw new IllegalArgumentException("sequence " + i + " has " + sequences.get(i).length + " steps but " + steps + " labels");
                }
            }
        }
    }

    /**
     * A list read from the streaming cache or cut from a series when asked for stays as it is (copying would hold it all in
     * memory); others are copied.
     */
    private static <T> List<T> kept(List<T> list) {
        return list instanceof SequenceCache.View<T> || list instanceof Joined<T> ? list : List.copyOf(list);
    }

    /**
     * Sequences read from a cache when asked for ({@link SequenceCache#sequences}): one class (or target vector) per
     * sequence, or with {@code perStep} one a step; {@link #subset} of them is an ordinary set in memory.
     */
    static SequenceSet cached(List<double[][]> sequences, List<int[]> classes, List<double[][]> targets, boolean perStep,
                              int minLength, int maxLength) {
        SequenceSet set = new SequenceSet(sequences, classes, targets, perStep);
        set.lengths = new int[]{minLength, maxLength};
        set.streamed = true;
        return set;
    }

    /**
     * Sequences with a class per step read from a cache when asked for, each as long as its labels (text generation:
     * {@link StreamedText}).
     */
    static SequenceSet cachedPerStep(List<double[][]> sequences, List<int[]> classes, int minLength, int maxLength) {
        SequenceSet set = new SequenceSet(sequences, classes, null, true);
        set.lengths = new int[]{minLength, maxLength};
        set.streamed = true;
        return set;
    }

    /**
     * These computed sequences as the streaming path's ({@link #streamed}): windows cut from a series mapped from its cache
     * ({@link SeriesCache}), trained and scored a shard at a time.
     */
    SequenceSet asStreamed() {
        if (!computed()) {
            throw new IllegalStateException("only sequences computed when asked for can be streamed");
        }
        SequenceSet set = new SequenceSet(sequences, classes, targets, perStep, origins);
        set.lengths = lengths;
        set.streamed = true;
        return set;
    }

    /** Whether the sequences are read from a streaming cache when asked for ({@link #cached}). */
    public boolean streamed() {
        return streamed;
    }

    /**
     * Regression sequences computed when asked for (views such as {@link ForecastWindowing}'s windows over their series):
     * each call of {@link #sequence} computes that sequence anew, so the set holds only what the views read from.
     *
     * @param targets per sequence its target vector (wrapped as one step) or, with {@code perStep}, one per step
     * @param origins where each window's first target lies in its series, or null
     */
    static SequenceSet computed(List<double[][]> sequences, List<double[][]> targets, boolean perStep, int[] origins,
                                int minLength, int maxLength) {
        SequenceSet set = new SequenceSet(sequences, null, targets, perStep, origins);
        set.lengths = new int[]{minLength, maxLength};
        return set;
    }

    /** Whether the sequences are computed when asked for ({@link #computed}) rather than held. */
    boolean computed() {
        return lengths != null && !streamed;
    }

    /** One class per sequence. */
    public static SequenceSet classified(List<double[][]> sequences, int[] classes) {
        List<int[]> wrapped = new ArrayList<>(classes.length);
        for (int c : classes) {
            wrapped.add(new int[]{c});
        }
        return new SequenceSet(sequences, wrapped, null, false);
    }

    /** One class per time step: {@code classes.get(i)[t]}. */
    public static SequenceSet classifiedPerStep(List<double[][]> sequences, List<int[]> classes) {
        return new SequenceSet(sequences, classes, null, true);
    }

    /** One target vector per sequence. */
    public static SequenceSet regressed(List<double[][]> sequences, double[][] targets) {
        List<double[][]> wrapped = new ArrayList<>(targets.length);
        for (double[] t : targets) {
            wrapped.add(new double[][]{t});
        }
        return new SequenceSet(sequences, null, wrapped, false);
    }

    /**
     * Forecast windows cut from a series: one target vector per window, and each window's origin, the index in
     * the series of its first target (what a baseline that reads the series itself needs).
     */
    public static SequenceSet windows(List<double[][]> sequences, double[][] targets, int[] origins) {
        SequenceSet plain = regressed(sequences, targets);
        return new SequenceSet(plain.sequences, null, plain.targets, false, origins);
    }

    /** One target vector per time step: {@code targets.get(i)[t]}. */
    public static SequenceSet regressedPerStep(List<double[][]> sequences, List<double[][]> targets) {
        return new SequenceSet(sequences, null, targets, true);
    }

    public int size() {
        return sequences.size();
    }

    public boolean isClassification() {
        return classes != null;
    }

    /** True when there is a label at every time step. */
    public boolean perStep() {
        return perStep;
    }

    /** True for windows that know where in their series they were cut ({@link #windows}). */
    public boolean hasOrigins() {
        return origins != null;
    }

    /** Index in the series of window i's first target ({@link #windows} only). */
    public int origin(int i) {
        if (origins == null) {
            throw new IllegalStateException("these sequences were not cut from a series");
        }
        return origins[i];
    }

    /** The sequences as a read-only list (for a view, each element read or cut when asked for). */
    public List<double[][]> sequences() {
        return java.util.Collections.unmodifiableList(sequences);
    }

    public double[][] sequence(int i) {
        return sequences.get(i);
    }

    /** The class of sequence i (per-sequence labels). */
    public int classOf(int i) {
        return classes.get(i)[0];
    }

    /**
     * The class at step t of sequence i (per-step labels), or of the sequence when labels are per sequence. Of a streamed
     * set each call reads sequence i's labels from the cache: a loop over the steps takes {@link #classesOf} once instead.
     */
    public int classAt(int i, int t) {
        return classes.get(i)[perStep ? t : 0];
    }

    /**
     * The classes of sequence i, one a step (per-step labels; as many as the sequence has steps) or its one class, read
     * once: a streamed set reads them from the cache on each call. Shared with the set: not to be changed.
     */
    public int[] classesOf(int i) {
        return classes.get(i);
    }

    /** The target of sequence i (per-sequence labels). */
    public double[] target(int i) {
        return targets.get(i)[0];
    }

    public double[] targetAt(int i, int t) {
        return targets.get(i)[perStep ? t : 0];
    }

    /**
     * The targets of sequence i, one a step (per-step labels) or its one target, computed or read once ({@link #classesOf}
     * for regression). Shared with the set: not to be changed.
     */
    public double[][] targetsOf(int i) {
        return targets.get(i);
    }

    /** Width of a regression target; 0 for classification. */
    public int targetWidth() {
        return targets == null || targets.isEmpty() ? 0 : targets.get(0)[0].length;
    }

    public int features() {
        return sequences.isEmpty() ? 0 : sequences.get(0)[0].length;
    }

    public int maxLength() {
        if (lengths != null) {
            return sequences.isEmpty() ? 0 : lengths[1];
        }
        return sequences.stream().mapToInt(s -> s.length).max().orElse(0);
    }

    public int minLength() {
        if (lengths != null) {
            return sequences.isEmpty() ? 0 : lengths[0];
        }
        return sequences.stream().mapToInt(s -> s.length).min().orElse(0);
    }

    /** The same labels over other inputs, one per sequence, as long (categorical features made one-hot). */
    SequenceSet withSequences(List<double[][]> replaced) {
        return new SequenceSet(replaced, classes, targets, perStep, origins);
    }

    /** The same windows with their origins moved by {@code offset} (a series laid after others, {@link SeriesPanels}). */
    SequenceSet shifted(int offset) {
        SequenceSet moved = new SequenceSet(sequences, classes, targets, perStep, java.util.Arrays.stream(origins).map(o -> o + offset).toArray());
        moved.lengths = lengths;
        moved.streamed = streamed;
        return moved;
    }

    /** These sequences then {@code other}'s, of the same kind (cross-validation pools training and validation). */
    public SequenceSet concat(SequenceSet other) {
        if ((classes == null) != (other.classes == null) || perStep != other.perStep || (origins == null) != (other.origins == null)) {
            throw new IllegalArgumentException("cannot join sequences of different kinds");
        }
        if (computed() && other.computed()) {
            return joined(List.of(this, other));
        }
        if (streamed && other.streamed) { // still read from the cache: the pool of a streamed cross-validation, a backtest's refit
            return cached(new Joined<>(List.of(sequences, other.sequences)), classes == null ? null : new Joined<>(List.of(classes, other.classes)),
                    targets == null ? null : new Joined<>(List.of(targets, other.targets)), perStep, Math.min(lengths[0], other.lengths[0]),
                    Math.max(lengths[1], other.lengths[1])).withOrigins(origins == null ? null : java.util.stream.IntStream.concat(
                    java.util.Arrays.stream(origins), java.util.Arrays.stream(other.origins)).toArray());
        }
        List<double[][]> joined = new ArrayList<>(sequences);
        joined.addAll(other.sequences);
        List<int[]> joinedClasses = classes == null ? null : new ArrayList<>(classes);
        List<double[][]> joinedTargets = targets == null ? null : new ArrayList<>(targets);
        if (classes != null) {
            joinedClasses.addAll(other.classes);
        } else {
            joinedTargets.addAll(other.targets);
        }
        int[] joinedOrigins = null;
        if (origins != null) {
            joinedOrigins = java.util.Arrays.copyOf(origins, origins.length + other.origins.length);
            System.arraycopy(other.origins, 0, joinedOrigins, origins.length, other.origins.length);
        }
        return new SequenceSet(joined, joinedClasses, joinedTargets, perStep, joinedOrigins);
    }

    /**
     * The sequences at {@code indices}: of a streamed set, a set that still reads them from the cache when asked for, holding
     * only the indices (a cross-validation fold, a backtest's test windows); of any other, {@link #subset}.
     */
    public SequenceSet view(int[] indices) {
        if (!streamed) {
            return subset(indices);
        }
        int[] kept = indices.clone();
        return cached(new SequenceCache.View<>(kept, sequences::get), classes == null ? null : new SequenceCache.View<>(kept, classes::get),
                targets == null ? null : new SequenceCache.View<>(kept, targets::get), perStep, lengths[0], lengths[1])
                .withOrigins(origins == null ? null : java.util.Arrays.stream(kept).map(i -> origins[i]).toArray());
    }

    /** This streamed set with windows' origins (null: none), as a view of windows cut from a series keeps them. */
    private SequenceSet withOrigins(int[] windowOrigins) {
        if (windowOrigins == null) {
            return this;
        }
        SequenceSet set = new SequenceSet(sequences, classes, targets, perStep, windowOrigins);
        set.lengths = lengths;
        set.streamed = streamed;
        return set;
    }

    public SequenceSet subset(int[] indices) {
        if (computed()) { // a view of the view: still nothing held but the indices
            int[] kept = indices.clone();
            return computed(new SequenceCache.View<>(kept, sequences::get), new SequenceCache.View<>(kept, targets::get), perStep,
                    origins == null ? null : java.util.Arrays.stream(kept).map(i -> origins[i]).toArray(), lengths[0], lengths[1]);
        }
        List<double[][]> picked = new ArrayList<>(indices.length);
        List<int[]> pickedClasses = classes == null ? null : new ArrayList<>(indices.length);
        List<double[][]> pickedTargets = targets == null ? null : new ArrayList<>(indices.length);
        int[] pickedOrigins = origins == null ? null : new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (origins != null) {
                pickedOrigins[k] = origins[i];
            }
            picked.add(sequences.get(i));
            if (classes != null) {
                pickedClasses.add(classes.get(i));
            } else {
                pickedTargets.add(targets.get(i));
            }
        }
        return new SequenceSet(picked, pickedClasses, pickedTargets, perStep, pickedOrigins);
    }

    /**
     * Labels per class (classification only), each step's for per-step labels (a step without a label, such as a
     * translator's source step, is not counted): what the loss sums over, so what class weights balance.
     */
    public long[] labelCounts(int numClasses) {
        long[] counts = new long[numClasses];
        for (int[] labels : classes) {
            for (int c : labels) {
                if (c >= 0) {
                    counts[c]++;
                }
            }
        }
        return counts;
    }

    /**
     * Number of labels per class (classification only): sequences for per-sequence labels; for per-step
     * labels, sequences counted by their most frequent class, which is what a stratified split balances.
     */
    public int[] classCounts(int numClasses) {
        int[] counts = new int[numClasses];
        for (int i = 0; i < size(); i++) {
            counts[stratum(i, numClasses)]++;
        }
        return counts;
    }

    /** The class a stratified split files sequence i under: its class, or its most frequent step class. */
    public int stratum(int i, int numClasses) {
        int[] labels = classes.get(i);
        if (labels.length == 1) {
            return labels[0];
        }
        int[] counts = new int[numClasses];
        int best = 0;
        for (int c : labels) {
            if (++counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Computed sets of the same kind one after the other, still computed when asked for (the windows of many series pooled);
     * each window keeps its own set's origin.
     */
    static SequenceSet joined(List<SequenceSet> parts) {
        int[] origins = parts.get(0).origins == null ? null
                : parts.stream().flatMapToInt(p -> java.util.Arrays.stream(p.origins)).toArray();
        int min = parts.stream().filter(p -> p.size() > 0).mapToInt(SequenceSet::minLength).min().orElse(0);
        int max = parts.stream().filter(p -> p.size() > 0).mapToInt(SequenceSet::maxLength).max().orElse(0);
        return computed(new Joined<>(parts.stream().map(p -> p.sequences).toList()), new Joined<>(parts.stream().map(p -> p.targets).toList()),
                parts.get(0).perStep, origins, min, max);
    }

    /** Lists read one after the other, without copying them (they may be views computed when asked for). */
    static final class Joined<T> extends java.util.AbstractList<T> implements java.util.RandomAccess {
        private final List<List<T>> parts;
        private final int[] starts;

        Joined(List<List<T>> parts) {
            this.parts = List.copyOf(parts);
            starts = new int[parts.size() + 1];
            for (int k = 0; k < parts.size(); k++) {
                starts[k + 1] = starts[k] + parts.get(k).size();
            }
        }

        @Override
        public T get(int i) {
            java.util.Objects.checkIndex(i, size());
            int found = java.util.Arrays.binarySearch(starts, i);
            // equal starts belong to empty parts: the element lies in the last part starting there
            int k = found >= 0 ? found : -found - 2;
            while (k + 1 < parts.size() && starts[k + 1] <= i) {
                k++;
            }
            return parts.get(k).get(i - starts[k]);
        }

        @Override
        public int size() {
            return starts[starts.length - 1];
        }
    }
}
