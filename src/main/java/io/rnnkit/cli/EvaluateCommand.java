package io.rnnkit.cli;

import io.rnnkit.BadInputException;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.config.ConfigLoader;
import io.rnnkit.config.LoadedConfig;
import io.rnnkit.data.DatasetLoader;
import io.rnnkit.data.PreparedData;
import io.rnnkit.data.SplitData;
import io.rnnkit.eval.Evaluator;
import io.rnnkit.bundle.Predictor;
import io.rnnkit.eval.SplitMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "evaluate", description = "Evaluate a saved model on a split of a config's data.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Option(names = "--config", required = true, paramLabel = "CONFIG", description = "The experiment YAML whose data to use.")
    Path config;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin
    ConfigOverrides overrides;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        if (!List.of("train", "validation", "test").contains(split)) {
            throw new BadInputException("--split: expected train, validation or test, got '" + split + "'");
        }
        Bundle bundle = Bundle.read(model);
        LoadedConfig loaded = ConfigLoader.load(config, overrides.values);
        SplitData data = DatasetLoader.loadForTraining(loaded, System.err::println);
        if (data.features() != bundle.contract().features() || data.outputs() != bundle.contract().outputs()) {
            throw new BadInputException(config + ": its data has " + data.features() + " feature(s) and " + data.outputs()
                    + " output(s), but the model expects " + bundle.contract().features() + " and " + bundle.contract().outputs());
        }
        if (data.train().isClassification() && !data.classes().equals(bundle.contract().classes())) {
            throw new BadInputException(config + ": its classes " + data.classes() + " differ from the model's " + bundle.contract().classes());
        }
        if (data.vocabulary() != null && bundle.contract().vocabulary() != null && !data.vocabulary().equals(bundle.contract().vocabulary())) {
            throw new BadInputException(config + ": the symbols of its training split differ from the model's vocabulary "
                    + bundle.contract().vocabulary());
        }
        PreparedData prepared = data.train().streamed()
                ? PreparedData.streamed(data, loaded.config(), bundle.normalizer(), bundle.series(),
                io.rnnkit.data.StreamedSplit.shardSize(loaded.config().data().streaming(), data.maxLength() * data.features()))
                : PreparedData.with(data, bundle.normalizer(), bundle.series()).grouped(io.rnnkit.config.Task.of(bundle.config()).head().groupSize());
        if (!prepared.has(split)) {
            throw new BadInputException(config + ": the " + split + " split is empty");
        }
        io.rnnkit.data.SequenceSet raw = switch (split) {
            case "train" -> data.train();
            case "validation" -> data.validation();
            default -> data.test();
        };
        Predictor predictor = bundle.predictor(data);
        SplitMetrics metrics = Evaluator.evaluate(predictor, prepared, split);
        if (predictor.task() instanceof io.rnnkit.config.Task.Translator) {
            // decoded metrics (exact match, edit distance) beside the teacher-forced ones, as in metrics.json
            metrics = io.rnnkit.eval.TranslationEvaluator.evaluate(metrics, bundle.network(), raw,
                    io.rnnkit.data.DelayedPairs.fromInputVocabulary(data.vocabulary()), bundle.config().task().translation()).metrics();
        }
        System.out.println(model + " on the " + split + " split of " + config + " (" + raw.size() + " sequences):");
        TrainCommand.printMetrics(Map.of(split, metrics), data.classes());
        return 0;
    }
}
