package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import example.untrusted.PreprocessorTrap;
import example.untrusted.Traps;
import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundles crafted as an attacker would, each from an honest one: every one is refused with a
 * {@link BundleIntegrityException} (exit 2 on the command line) before anything in it runs — no class it names
 * initialized, constructed or deserialized ({@link Traps}). Where the attack needs a consistent manifest, the
 * manifest is recomputed, as anyone who can edit the file can do: checksums prove integrity, not origin.
 */
class CraftedBundleTest {
    @TempDir
    static Path dir;
    static Map<String, byte[]> honest;

    @BeforeAll
    static void honestBundle() throws IOException {
        honest = CraftedZip.entries(TrainedModels.classifier().bundle());
    }

    @AfterEach
    void nothingNamedByABundleRan() {
        assertEquals(List.of(), Traps.events(), "a class named by a crafted bundle was loaded, constructed or deserialized");
    }

    private static Path write(String name, byte[] zip) throws IOException {
        return Files.write(dir.resolve(name), zip);
    }

    /** The honest bundle with {@code entry} set to {@code bytes} and the manifest recomputed, as file {@code name}. */
    private static Path withEntry(String name, String entry, byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(honest);
        entries.put(entry, bytes);
        return write(name, CraftedZip.build(CraftedZip.honest(CraftedZip.withRecomputedManifest(entries))));
    }

    /** Refused by the API and by {@code rnnkit inspect} (exit 2), with {@code fragment} in the message. */
    private static void assertRefused(Path bundle, String fragment) {
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(bundle));
        assertTrue(e.getMessage().startsWith(bundle.toString()) && e.getMessage().contains(fragment), e.getMessage());
        CliTest.Outcome o = CliTest.rnnkit("inspect", bundle.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(fragment), o.err());
    }

    private static byte[] flipLastByte(byte[] bytes) {
        byte[] out = bytes.clone();
        out[out.length - 1] ^= 1;
        return out;
    }

    @Test
    void aSecondCoefficientsEntryOnlyTheLocalHeadersListIsRefused() throws IOException {
        // ZipFile (the checksums) sees the honest entry, ZipInputStream (DL4J's reader) the last one of a name
        List<CraftedZip.Entry> entries = CraftedZip.honest(honest);
        entries.add(entries.size() - 1, CraftedZip.Entry.of("coefficients.bin", flipLastByte(honest.get("coefficients.bin"))).onlyLocal());
        assertRefused(write("smuggled.zip", CraftedZip.build(entries)), "belong to no listed entry");
    }

    @Test
    void aNameTheCentralDirectoryListsTwiceIsRefused() throws IOException {
        List<CraftedZip.Entry> entries = CraftedZip.honest(honest);
        entries.add(CraftedZip.Entry.of("coefficients.bin", flipLastByte(honest.get("coefficients.bin"))));
        assertRefused(write("duplicate.zip", CraftedZip.build(entries)), "entry coefficients.bin appears twice");
    }

    @Test
    void aLocalHeaderNamingAnotherEntryThanTheCentralDirectoryIsRefused() throws IOException {
        List<CraftedZip.Entry> entries = new ArrayList<>();
        for (CraftedZip.Entry e : CraftedZip.honest(honest)) {
            entries.add(e.localName().equals("normalizer.bin")
                    ? new CraftedZip.Entry("preprocessor.bin", "normalizer.bin", e.data(), true, e.size(), e.crc(), true) : e);
        }
        assertRefused(write("mismatch.zip", CraftedZip.build(entries)), "local header differs from the central directory");
    }

    @Test
    void aSerializedPreprocessorIsRefusedAndNeverDeserialized() throws IOException {
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
            out.writeObject(new PreprocessorTrap());
        }
        Path bundle = withEntry("preprocessor.zip", "preprocessor.bin", serialized.toByteArray());
        assertRefused(bundle, "entry 'preprocessor.bin' is not part of an rnnkit bundle");
    }

    @Test
    void aCustomNormalizerNamingAClassIsRefusedAndTheClassNeverLoaded() throws IOException {
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(normalizer)) {
            out.writeUTF("NORMALIZER");
            out.writeInt(1);
            out.writeUTF("CUSTOM");
            out.writeUTF("example.untrusted.NormalizerTrap");
        }
        Path bundle = withEntry("custom-normalizer.zip", "normalizer.bin", normalizer.toByteArray());
        assertRefused(bundle, "a normalizer of type 'CUSTOM'");
    }

    @Test
    void aConfigurationNamingAForeignClassIsRefusedBeforeTheClassIsInitialized() throws IOException {
        String json = new String(honest.get("configuration.json"), StandardCharsets.UTF_8);
        String tanh = "\"org.nd4j.linalg.activations.impl.ActivationTanH\"";
        assertTrue(json.contains(tanh), "the LSTM's activation is named in the configuration");
        Path bundle = withEntry("class-swap.zip", "configuration.json", json.replace(tanh, "\"example.untrusted.StaticTrap\"").getBytes(StandardCharsets.UTF_8));
        assertRefused(bundle, "names the class 'example.untrusted.StaticTrap'");
    }

    @Test
    void aContractThatDisagreesWithItsNetworkIsRefusedAtLoad() throws IOException {
        ObjectNode contract = (ObjectNode) CraftedZip.json(honest.get("rnnkit/contract.json"));
        contract.put("features", 3);
        contract.set("featureNames", contract.arrayNode().add("x1").add("x2").add("x3"));
        Path bundle = withEntry("contract.zip", "rnnkit/contract.json", CraftedZip.json(contract));
        assertRefused(bundle, "its contract does not describe its network: the network reads 1 values per step, the contract 3");
    }

    @Test
    void escapeSequencesInAFeatureNameAreShownEscapedNeverSentToTheTerminal() throws IOException {
        String hostile = "\u001b]0;owned\u0007x\u001b[2J\u009b31m\u202e";
        ObjectNode contract = (ObjectNode) CraftedZip.json(honest.get("rnnkit/contract.json"));
        contract.set("featureNames", ((ArrayNode) contract.arrayNode()).add(hostile));
        Path bundle = withEntry("names.zip", "rnnkit/contract.json", CraftedZip.json(contract));
        assertEquals(List.of(hostile), RnnModel.load(bundle).contract().featureNames(), "names are data: the API returns them as saved");
        CliTest.Outcome o = CliTest.rnnkit("inspect", bundle.toString());
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x9b || c == 0x202e),
                "a control character reached the terminal: " + o.out());
        assertTrue(o.out().contains("\\u001b]0;owned\\u0007x\\u001b[2J\\u009b31m\\u202e"), o.out());
    }

    @Test
    void learntEntriesThatDisagreeWithTheContractOrTheConfigAreRefusedAtLoad() throws IOException {
        String fill = "{\"columns\": [{\"column\": \"%s\", \"policy\": \"%s\", \"fill\": %s}]}";
        assertRefused(withEntry("fills-column.zip", BundleFormat.MISSING, fill.formatted("x9", "drop", "0").getBytes(StandardCharsets.UTF_8)),
                "rnnkit/missing.json: column 'x9' is not a feature of the contract");
        assertRefused(withEntry("fills-policy.zip", BundleFormat.MISSING, fill.formatted("x1", "mask", "0").getBytes(StandardCharsets.UTF_8)),
                "column 'x1' has policy 'mask', but the bundle's config gives it drop");
        assertRefused(withEntry("fills-value.zip", BundleFormat.MISSING, fill.formatted("x1", "drop", "1e999").getBytes(StandardCharsets.UTF_8)),
                "column 'x1' has a fill that is not a finite number");
        assertRefused(withEntry("fills-shape.zip", BundleFormat.MISSING, "[\"rm -rf\"]".getBytes(StandardCharsets.UTF_8)),
                "rnnkit/missing.json: not {\"columns\": [...]}");
        assertRefused(withEntry("categories.zip", BundleFormat.CATEGORIES, "{\"x1\": [\"a\"]}".getBytes(StandardCharsets.UTF_8)),
                "rnnkit/categories.json: category '\"a\"' of column 'x1' is not a text naming one feature of the contract");
    }

    /** The honest ensemble of 3 members with {@code change} applied to its entries and the manifest recomputed, as file {@code name}. */
    private static Path ensembleWith(String name, java.util.function.Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(TrainedModels.ensembleClassifier().bundle()));
        change.accept(entries);
        return write(name, CraftedZip.build(CraftedZip.honest(CraftedZip.withRecomputedManifest(entries))));
    }

    @Test
    void anEnsembleMissingAMemberOrHoldingOneItDoesNotListIsRefused() throws IOException {
        assertRefused(ensembleWith("member-missing.zip", e -> e.remove(BundleFormat.member(2))),
                "ensemble member 2 of 3 (" + BundleFormat.member(2) + ") is missing");
        assertRefused(ensembleWith("member-extra.zip", e -> e.put(BundleFormat.member(3), e.get(BundleFormat.member(1)))),
                "holds " + BundleFormat.member(3) + ", a member beyond the 3 that " + BundleFormat.ENSEMBLE + " lists");
        assertRefused(ensembleWith("member-orphan.zip", e -> e.remove(BundleFormat.ENSEMBLE)),
                "holds the ensemble member " + BundleFormat.member(1) + " but no " + BundleFormat.ENSEMBLE);
        // a name past the bound is no bundle entry at all
        assertRefused(ensembleWith("member-unlisted.zip", e -> e.put("rnnkit/members/" + BundleFormat.MAX_MEMBERS + ".bin",
                e.get(BundleFormat.member(1)))), "rnnkit/members/" + BundleFormat.MAX_MEMBERS + ".bin");
    }

    @Test
    void anEnsembleMemberOfAnotherShapeIsRefused() throws IOException {
        byte[] smaller = NetworkCodec.array(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 10));
        assertRefused(ensembleWith("member-shape.zip", e -> e.put(BundleFormat.member(1), smaller)),
                "ensemble member 1 (" + BundleFormat.member(1) + ") has 10 parameters, and the network every member shares has ");
    }

    @Test
    void anEnsembleOfMoreMembersThanTheBoundIsRefused() throws IOException {
        Path crafted = ensembleWith("members-over.zip", e -> {
            try {
                ObjectNode root = (ObjectNode) CraftedZip.json(e.get(BundleFormat.ENSEMBLE));
                ArrayNode members = (ArrayNode) root.get("members");
                while (members.size() <= BundleFormat.MAX_MEMBERS) {
                    members.add(members.get(0).deepCopy());
                }
                e.put(BundleFormat.ENSEMBLE, CraftedZip.json(root));
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
        });
        assertRefused(crafted, "an ensemble of " + (BundleFormat.MAX_MEMBERS + 1) + " members; a bundle holds 2 to " + BundleFormat.MAX_MEMBERS);
    }

    @Test
    void aTamperedEnsembleMemberFailsItsChecksum() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(TrainedModels.ensembleClassifier().bundle()));
        entries.put(BundleFormat.member(2), flipLastByte(entries.get(BundleFormat.member(2))));
        assertRefused(write("member-tampered.zip", CraftedZip.build(CraftedZip.honest(entries))),
                "entry " + BundleFormat.member(2) + " fails its SHA-256 check");
    }
}
