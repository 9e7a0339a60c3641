package io.rnnkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rnnkit.bundle.Bundle;
import io.rnnkit.bundle.InputContract;
import io.rnnkit.bundle.Numerics;
import io.rnnkit.bundle.Printable;
import io.rnnkit.config.Task;
import io.rnnkit.config.YamlTrees;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.Ensemble;
import io.rnnkit.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "inspect", description = "Show what a bundle holds: its format, input contract, provenance and config.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "The bundle, such as runs/x/model.zip, or a run directory (its status, then its model.zip).")
    Path model;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (java.nio.file.Files.isDirectory(model)) {
            RunDirectory.RunStatus status = RunDirectory.status(model);
            print(model + ": run " + (status == null ? "without status.json" : status.status() + " after " + status.epochsDone()
                    + " epoch(s)" + (status.message() == null ? "" : ": " + status.message())));
            if (!java.nio.file.Files.isRegularFile(model.resolve("model.zip"))) {
                return 0;
            }
            model = model.resolve("model.zip");
        }
        Bundle.Loaded loaded = Bundle.load(model);
        Bundle bundle = loaded.bundle();
        InputContract c = bundle.contract();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        print(model + ": rnnkit bundle, format version " + loaded.manifest().formatVersion() + ", "
                + loaded.manifest().entries().size() + " entries, all checksums valid");
        print("signature: " + (loaded.signer() == null ? "none (rnnkit sign --key KEY " + model + " signs it)"
                : "valid, Ed25519 key " + loaded.signer().fingerprint()));
        Task task = Task.of(bundle.config());
        print("model: " + task.describe() + "; reads " + c.features() + " feature(s) per step "
                + c.featureNames() + ", " + c.lengthRule() + "; returns " + (c.isClassification() ? "the probabilities of " : "")
                + c.outputs() + " " + (c.isClassification() ? "classes " : "values ") + c.classes()
                + (c.forecast() == null ? "" : "; forecasts '" + c.forecast().target() + "' " + c.forecast().horizon()
                + " step(s) ahead from the last " + c.forecast().lookback() + (c.forecast().isRecursive() ? ", recursively" : ""))
                + (c.vocabulary() == null ? "" : "; vocabulary of " + c.vocabulary().size() + " tokens")
                + (task.answersPerStep() ? "; at every step (RnnModel." + (c.isClassification() ? "classifySteps" : "predictSteps") + ")" : "")
                + (task instanceof Task.VectorToSequence ? "; a sequence of " + c.maxLength() + " steps from one vector (RnnModel.generate(double[]))" : ""));
        if (task instanceof Task.Translator && c.vocabulary() != null) {
            io.rnnkit.data.DelayedPairs form = io.rnnkit.data.DelayedPairs.fromInputVocabulary(c.vocabulary());
            io.rnnkit.config.TranslationConfig t = bundle.config().task().translation();
            print("translates: sources of up to " + t.maxSourceLength() + " symbols " + form.source() + " into targets of up to "
                    + t.maxTargetLength() + " symbols " + form.target() + " (RnnModel.translate, rnnkit translate; beam width "
                    + t.beamWidth() + ")");
        }
        if (bundle.anomaly() != null) {
            io.rnnkit.bundle.AnomalyCalibration a = bundle.anomaly();
            print("detects anomalies: a step is flagged when its forecast error |e − " + a.errorMean() + "| / " + a.errorStd()
                    + ", averaged over " + a.smoothing() + " step(s), exceeds " + a.threshold() + "; flagged steps fewer than "
                    + a.minGap() + " apart are one event (RnnModel.detect, ModelStream.observe, rnnkit predict)");
        }
        String blocker = bundle.streamBlocker();
        print("streaming: " + (blocker == null ? "yes (RnnModel.openStream)" : "no: " + blocker));
        print("network: " + bundle.network().getnLayers() + " layers, " + bundle.network().numParams() + " parameters"
                + (bundle.ensemble() == null ? "" : " per member"));
        if (bundle.ensemble() != null) {
            List<Ensemble.Member> members = bundle.ensemble().members();
            print("ensemble: " + members.size() + " members of one shape, their outputs combined (" + Ensemble.describe(task) + ")");
            for (int i = 0; i < members.size(); i++) {
                Ensemble.Member m = members.get(i);
                print("  member " + i + ": seed " + m.seed() + ", best epoch " + m.bestEpoch() + ", test " + m.test()
                        + " (" + (i == 0 ? BundleFormat.COEFFICIENTS : BundleFormat.member(i)) + ")");
            }
        }
        Numerics numerics = bundle.provenance().numerics();
        print("trained with: " + (numerics == null ? "not recorded (a bundle from before rnnkit recorded its numerics)" : numerics.describe()));
        printBlock("contract: " + json.writeValueAsString(c));
        printBlock("provenance: " + json.writeValueAsString(bundle.provenance()));
        printBlock("config:\n" + YamlTrees.toYaml(bundle.config()));
        return 0;
    }

    /** Prints a line whose text comes from the bundle: control characters are shown escaped, never sent to the terminal. */
    private static void print(String line) {
        System.out.println(Printable.escape(line));
    }

    /** JSON or YAML, whose writers escape line breaks inside strings: each of its lines printed escaped. */
    private static void printBlock(String text) {
        for (String line : text.split("\n", -1)) {
            print(line);
        }
    }
}
