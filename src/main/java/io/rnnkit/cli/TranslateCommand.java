package io.rnnkit.cli;

import io.rnnkit.bundle.ModelInputException;
import io.rnnkit.bundle.RnnModel;
import io.rnnkit.data.DataException;
import io.rnnkit.data.PairsLayout;
import io.rnnkit.data.TextRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "translate", description = {"Translate every line of a file with a sequence-to-sequence model.",
        "Each line is a source (a tab and anything after it, such as the expected target, is ignored);"
                + " the output has one translation per line, in order."})
final class TranslateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The bundle, such as runs/x/model.zip.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "One source per line.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the translations (written whole or not at all); default standard output.")
    Path output;

    @Option(names = "--beam-width", paramLabel = "K", description = "Hypotheses kept while decoding: 1 greedy, more beam search;"
            + " default the model's task.translation.beamWidth.")
    Integer beamWidth;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        if (beamWidth != null && beamWidth < 1) {
            throw new DataException("--beam-width must be at least 1, got " + beamWidth);
        }
        RnnModel rnn = RnnModel.load(model);
        List<String> sources = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (TextRecords.Line line : TextRecords.rawLines(input)) {
            String text = line.fields().get(0);
            int tab = text.indexOf(PairsLayout.TAB);
            String source = tab < 0 ? text : text.substring(0, tab);
            if (source.isBlank()) {
                throw DataException.at(input, line.number(), "empty line: no source to translate");
            }
            sources.add(source);
            lines.add(line.number());
        }
        List<String> translations;
        try {
            translations = rnn.translate(sources, beamWidth != null ? beamWidth : rnn.config().task().translation().beamWidth());
        } catch (ModelInputException e) {
            if (e.sequenceIndex() < 0) {
                throw e;
            }
            throw DataException.at(input, lines.get(e.sequenceIndex()), e.detail());
        }
        StringBuilder out = new StringBuilder();
        translations.forEach(t -> out.append(t).append('\n'));
        ResultOutput.write(output, out, translations.size() + " translation(s) of " + input + " → " + output);
        return 0;
    }
}
