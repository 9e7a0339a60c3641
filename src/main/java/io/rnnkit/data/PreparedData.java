package io.rnnkit.data;

import io.rnnkit.config.ExperimentConfig;
import io.rnnkit.config.NormalizerKind;
import io.rnnkit.config.NormalizerScope;
import io.rnnkit.config.Task;
import io.rnnkit.nn.loss.HeadLabels;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

import java.util.ArrayList;
import java.util.List;

/**
 * The splits as normalized tensors, ready for training and evaluation, with the normalizer that made them
 * (null for {@code none}); the normalizer is saved in the bundle so that predictions see the same scaling.
 *
 * @param panel     for many series of one file: the series, and with a per-series normalizer each one's scaling
 *                  ({@code normalizer} is then null); null for other data
 * @param shardSize for data streamed from a {@link SequenceCache}: sequences made into tensors at a time (the tensors
 *                  {@code train}, {@code validation} and {@code test} are then null: see {@link #tensors(SequenceSet)} and
 *                  {@link #batches}); 0 for data in memory
 * @param groupSize for streamed data: the outputs per target of the config's head, over which each label is repeated as a
 *                  shard is made into tensors ({@link #grouped}); 1 for a point head (the tensors in memory are grouped whole)
 */
public record PreparedData(SplitData split, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer,
                           PanelSeries panel, int shardSize, int groupSize) {

    public PreparedData(SplitData split, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer, PanelSeries panel) {
        this(split, train, validation, test, normalizer, panel, 0);
    }

    public PreparedData(SplitData split, DataSet train, DataSet validation, DataSet test, DataNormalization normalizer, PanelSeries panel,
                        int shardSize) {
        this(split, train, validation, test, normalizer, panel, shardSize, 1);
    }

    /**
     * Streamed splits (docs/architecture.md, "Data bigger than memory"): no tensors held, a normalizer fitted here shard by
     * shard over the training split with DL4J's fit over an iterator, which for a training split of one shard is the
     * in-memory path's very computation; with more, the statistics are merged shard by shard (float rounding apart, the same).
     *
     * @param normalizer a normalizer fitted before (a bundle's), or null to fit one as the config says
     */
    public static PreparedData streamed(SplitData split, ExperimentConfig config, DataNormalization normalizer, int shardSize) {
        return streamed(split, config, normalizer, null, shardSize);
    }

    /**
     * {@link #streamed(SplitData, ExperimentConfig, DataNormalization, int)} of many series: with {@code normalizerScope:
     * per-series} each series' scaling fitted on its own training windows as in memory (or the bundle's, {@code saved}),
     * each window scaled by its series' as a shard is made into tensors.
     *
     * @param saved a bundle's series (its scalings when per series), or null to fit them
     */
    public static PreparedData streamed(SplitData split, ExperimentConfig config, DataNormalization normalizer, PanelSeries saved,
                                        int shardSize) {
        SplitData.Panel panel = split.forecast() == null ? null : split.forecast().panel();
        PanelSeries series = panel == null ? null : new PanelSeries(panel.idColumns(), panel.ids(), null);
        // a bundle's model is scaled as it was trained, as PreparedData.with does; else as the config says
        boolean perSeries = saved != null ? saved.perSeries() : config.data().series().normalizerScope() == NormalizerScope.PER_SERIES;
        if (panel != null && perSeries) {
            List<Scaler> scalers = saved != null ? known(saved, panel) : new ArrayList<>(panel.size());
            if (saved == null) {
                SequenceSet train = split.train();
                // a static column is constant within a series: its statistics are taken over every series, as in memory
                DataNormalization global = split.forecast().covariates() == null ? null : fitStreamed(split, config, shardSize);
                for (int[] mine : windowsOf(train, panel)) {
                    DataNormalization own = fitStreamed(split.withTraining(train.subset(mine), split.validation()), config, shardSize);
                    if (global != null) {
                        pin(split, config, own, global);
                    }
                    scalers.add(Scaler.of(own));
                }
            }
            series = new PanelSeries(panel.idColumns(), panel.ids(), scalers);
        } else if (normalizer == null) {
            normalizer = fitStreamed(split, config, shardSize);
            pin(split, config, normalizer, normalizer);
        }
        // fitted on the labels of one column per target, as in memory, before they are repeated over the head's group
        return new PreparedData(split, null, null, null, series != null && series.perSeries() ? null : normalizer, series, shardSize)
                .grouped(Task.of(config).head().groupSize());
    }

    /** A normalizer as the config says, fitted over the training split's tensors made a shard at a time. */
    private static DataNormalization fitStreamed(SplitData split, ExperimentConfig config, int shardSize) {
        PreparedData unfitted = new PreparedData(split, null, null, null, null, null, shardSize);
        return Normalizers.fit(config.data().normalizer(), unfitted.batches(shardSize, false, 0, null), config.task().kind().regresses());
    }

    /** Whether the splits are streamed rather than held as tensors. */
    public boolean streamed() {
        return shardSize > 0;
    }

    /** Whether the named split has sequences (validation may be empty). */
    public boolean has(String name) {
        return streamed() ? set(name).size() > 0 : split(name) != null;
    }

    /** The named split's sequences before normalization. */
    public SequenceSet set(String name) {
        return switch (name) {
            case "train" -> split.train();
            case "validation" -> split.validation();
            case "test" -> split.test();
            default -> throw new IllegalArgumentException("no split '" + name + "'; expected train, validation or test");
        };
    }

    /** Sequences as normalized tensors, as the splits of this data are (streamed data is made into tensors a shard at a time). */
    public DataSet tensors(SequenceSet set) {
        return transformed(set, 0, false);
    }

    /**
     * {@code set}'s tensors ({@code steps} wide at least, masked or not: {@link Tensors}), each window of many series scaled by
     * its series' scaling when they have their own, then by the normalizer, its labels repeated over the head's group.
     */
    private DataSet transformed(SequenceSet set, int steps, boolean masked) {
        java.util.function.IntFunction<Scaler> own = null;
        if (panel != null && panel.perSeries()) {
            SplitData.Panel windows = split.forecast().panel();
            List<Scaler> scalers = panel.scalersOf(windows.ids());
            own = i -> scalers.get(windows.seriesOf(set.origin(i)));
        }
        DataSet out = Tensors.dataSet(seen(split, set), split.outputs(), split.vocabulary() != null, own, steps, masked);
        if (normalizer != null) {
            normalizer.transform(out);
        }
        return groupSize == 1 ? out : grouped(out, groupSize);
    }

    /**
     * Seeded minibatches of the training split: of the tensors in memory, or of streamed sequences read a minibatch at a
     * time, shuffled by shards ({@link EpochIterator}).
     */
    public EpochIterator batches(int batchSize, boolean shuffle, long seed, Augmentation augmentation) {
        if (!streamed()) {
            return new EpochIterator(train, batchSize, shuffle, seed, augmentation);
        }
        SequenceSet set = split.train();
        EpochIterator.Source source = new EpochIterator.Source() {
            @Override
            public int size() {
                return set.size();
            }

            @Override
            public DataSet get(int[] indices) {
                // as wide (and masked) as the whole split's tensors, so a minibatch is the in-memory path's row for row
                return transformed(set.subset(indices), set.maxLength(), set.minLength() != set.maxLength());
            }

            @Override
            public int inputColumns() {
                return split.features();
            }

            @Override
            public int totalOutcomes() {
                return split.outputs() * groupSize;
            }
        };
        return new EpochIterator(source, batchSize, shuffle, seed, augmentation, shardSize);
    }

    /**
     * Tensors of the splits, normalized by a normalizer fitted here on the training split, with labels of the shape of
     * the config's output head ({@link #grouped}).
     */
    public static PreparedData of(SplitData split, ExperimentConfig config) {
        return unheaded(split, config).grouped(Task.of(config).head().groupSize());
    }

    private static PreparedData unheaded(SplitData split, ExperimentConfig config) {
        boolean regression = config.task().kind().regresses();
        SplitData.Panel panel = split.forecast() == null ? null : split.forecast().panel();
        if (panel != null && config.data().series().normalizerScope() == NormalizerScope.PER_SERIES) {
            return perSeries(split, panel, config, regression);
        }
        DataSet train = tensors(split, split.train());
        DataNormalization normalizer = Normalizers.fit(config.data().normalizer(), train, regression);
        pin(split, config, normalizer, normalizer);
        return normalized(split, train, normalizer);
    }

    /** Leaves a forecaster's static and calendar features unscaled, or scaled over every series ({@link Covariates#pin}). */
    private static void pin(SplitData split, ExperimentConfig config, DataNormalization normalizer, DataNormalization global) {
        Covariates covariates = split.forecast() == null ? null : split.forecast().covariates();
        if (covariates != null) {
            covariates.pin(normalizer, global, split.forecast().categories(), config.data().series().staticColumns());
        }
    }

    /**
     * Each series scaled by statistics fitted on its own training windows (measured as the network sees them), with
     * the same arithmetic a fitted normalizer performs ({@link Scaler}).
     */
    private static PreparedData perSeries(SplitData split, SplitData.Panel panel, ExperimentConfig config, boolean regression) {
        NormalizerKind kind = config.data().normalizer();
        SequenceSet train = split.train();
        // a static column is constant within a series: its statistics are taken over every series
        boolean covariates = split.forecast().covariates() != null;
        DataNormalization global = covariates ? Normalizers.fit(kind, tensors(split, train), regression) : null;
        List<Scaler> scalers = new ArrayList<>(panel.size());
        for (int[] mine : windowsOf(train, panel)) {
            DataNormalization own = Normalizers.fit(kind, tensors(split, train.subset(mine)), regression);
            if (covariates) {
                pin(split, config, own, global);
            }
            scalers.add(Scaler.of(own));
        }
        PanelSeries series = new PanelSeries(panel.idColumns(), panel.ids(), scalers);
        return new PreparedData(split, scaled(split, train, panel, scalers), split.validation().size() == 0 ? null
                : scaled(split, split.validation(), panel, scalers), scaled(split, split.test(), panel, scalers), null, series);
    }

    /** Per series, the indices of its windows in {@code windows}. */
    private static List<int[]> windowsOf(SequenceSet windows, SplitData.Panel panel) {
        List<List<Integer>> of = new ArrayList<>();
        panel.ids().forEach(id -> of.add(new ArrayList<>()));
        for (int i = 0; i < windows.size(); i++) {
            of.get(panel.seriesOf(windows.origin(i))).add(i);
        }
        return of.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    private static DataSet scaled(SplitData split, SequenceSet windows, SplitData.Panel panel, List<Scaler> scalers) {
        int[] series = new int[windows.size()];
        for (int i = 0; i < series.length; i++) {
            series[i] = panel.seriesOf(windows.origin(i));
        }
        return Tensors.dataSet(seen(split, windows), split.outputs(), false, i -> scalers.get(series[i]));
    }

    /** Tensors of the splits, normalized by a normalizer fitted before (the one saved in a bundle). */
    public static PreparedData with(SplitData split, DataNormalization normalizer) {
        return normalized(split, tensors(split, split.train()), normalizer);
    }

    /**
     * {@link #with(SplitData, DataNormalization)} for a bundle's model, whose series (when it was trained on many)
     * may carry a scaling per series: each window then scaled by its series'.
     *
     * @throws DataException for a series of {@code split} the model has no scaling for
     */
    public static PreparedData with(SplitData split, DataNormalization normalizer, PanelSeries saved) {
        SplitData.Panel panel = split.forecast() == null ? null : split.forecast().panel();
        if (saved == null || !saved.perSeries() || panel == null) {
            return with(split, normalizer);
        }
        List<Scaler> scalers = known(saved, panel);
        return new PreparedData(split, scaled(split, split.train(), panel, scalers), split.validation().size() == 0 ? null
                : scaled(split, split.validation(), panel, scalers), scaled(split, split.test(), panel, scalers), null, saved);
    }

    /** The saved scaling of each series of {@code panel}; a series the model was not trained on is refused. */
    private static List<Scaler> known(PanelSeries saved, SplitData.Panel panel) {
        List<Scaler> scalers = saved.scalersOf(panel.ids());
        for (int k = 0; k < scalers.size(); k++) {
            if (scalers.get(k) == null) {
                throw new DataException("series " + SplitData.Panel.describe(panel.idColumns(), panel.ids().get(k))
                        + " is not one the model was trained on; its normalizer is per series, so it has no statistics for it");
            }
        }
        return scalers;
    }

    private static PreparedData normalized(SplitData split, DataSet train, DataNormalization normalizer) {
        DataSet validation = split.validation().size() == 0 ? null : tensors(split, split.validation());
        DataSet test = tensors(split, split.test());
        if (normalizer != null) {
            normalizer.transform(train);
            if (validation != null) {
                normalizer.transform(validation);
            }
            normalizer.transform(test);
        }
        SplitData.Panel panel = split.forecast() == null ? null : split.forecast().panel();
        return new PreparedData(split, train, validation, test, normalizer,
                panel == null ? null : new PanelSeries(panel.idColumns(), panel.ids(), null));
    }

    /**
     * Forecast windows are measured against their last observation first when the config asks for it; a
     * recursive forecaster learns from them as next-step sequences ({@link ForecastWindowing#teacherForced}).
     */
    private static DataSet tensors(SplitData split, SequenceSet set) {
        // next-token targets over a vocabulary go in as indices, for DL4J's sparse cross-entropy
        return Tensors.dataSet(seen(split, set), split.outputs(), split.vocabulary() != null);
    }

    private static SequenceSet seen(SplitData split, SequenceSet set) {
        SplitData.Forecast forecast = split.forecast();
        return forecast == null ? set
                : forecast.recursive() ? ForecastWindowing.teacherForced(set) : ForecastWindowing.relative(set, forecast);
    }

    /**
     * The same with each label repeated over its head's group of outputs ({@link HeadLabels}): the one place labels
     * take the network's output shape. The normalizer was fitted on, and scales, one column per target, so the group's
     * outputs are in the target's scale.
     */
    public PreparedData grouped(int groupSize) {
        if (groupSize == 1) {
            return this;
        }
        if (streamed()) { // the labels of each shard are grouped as it is made into tensors (transformed)
            return new PreparedData(split, null, null, null, normalizer, panel, shardSize, groupSize);
        }
        return new PreparedData(split, grouped(train, groupSize), grouped(validation, groupSize), grouped(test, groupSize), normalizer, panel);
    }

    private static DataSet grouped(DataSet set, int groupSize) {
        return set == null ? null
                : new DataSet(set.getFeatures(), HeadLabels.repeat(set.getLabels(), groupSize), set.getFeaturesMaskArray(), set.getLabelsMaskArray());
    }

    /** The named split ({@code train}, {@code validation} or {@code test}), or null when it is empty. */
    public DataSet split(String name) {
        return switch (name) {
            case "train" -> train;
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("no split '" + name + "'; expected train, validation or test");
        };
    }
}
