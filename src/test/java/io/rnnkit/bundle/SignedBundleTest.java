package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnkit.TrainedModels;
import io.rnnkit.cli.CliTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed bundles: {@code rnnkit keygen} and {@code rnnkit sign} make one that {@code RnnModel.load(path, trustedKeys)}
 * accepts from the trusted key only; unsigned, untrusted, forged and modified-after-signing bundles are refused.
 */
class SignedBundleTest {
    @TempDir
    static Path dir;
    static Path key;
    static PublicKey trusted;
    static Path signed;
    static Path unsigned;

    @BeforeAll
    static void signWithANewKey() throws IOException {
        CliTest.Outcome keygen = CliTest.rnnkit("keygen", "--out", dir.resolve("release").toString());
        assertEquals(0, keygen.code(), keygen.err());
        key = dir.resolve("release.pem");
        trusted = BundleSignature.readPublicKey(dir.resolve("release.pub.pem"));
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        unsigned = TrainedModels.classifier().bundle();
        signed = Files.copy(unsigned, dir.resolve("signed.zip"));
        CliTest.Outcome sign = CliTest.rnnkit("sign", "--key", key.toString(), signed.toString());
        assertEquals(0, sign.code(), sign.err());
        assertTrue(sign.out().contains("signed by Ed25519 key " + BundleSignature.fingerprint(trusted)), sign.out());
    }

    @Test
    void aBundleSignedByATrustedKeyLoadsAndInspectNamesTheKey() throws IOException {
        RnnModel model = RnnModel.load(signed, List.of(trusted));
        assertEquals(RnnModel.load(unsigned).contract(), model.contract());
        try (InputStream in = Files.newInputStream(signed)) {
            assertEquals(model.contract(), RnnModel.load(in, Set.of(trusted)).contract());
        }
        CliTest.Outcome o = CliTest.rnnkit("inspect", signed.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("signature: valid, Ed25519 key " + BundleSignature.fingerprint(trusted)), o.out());
        assertTrue(CliTest.rnnkit("inspect", unsigned.toString()).out().contains("signature: none"));
    }

    @Test
    void anUnsignedBundleIsRefusedWhenASignatureIsRequired() {
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(unsigned, List.of(trusted)));
        assertEquals(unsigned + ": not signed, and a signature by a trusted key is required", e.getMessage());
    }

    @Test
    void aBundleSignedByAnotherKeyIsRefused() {
        KeyPair other = BundleSignature.generate();
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(signed, List.of(other.getPublic())));
        assertEquals(signed + ": signed by key " + BundleSignature.fingerprint(trusted) + ", which is not among the trusted keys", e.getMessage());
    }

    @Test
    void aForgedSignatureNamingTheTrustedKeyIsRefusedEvenWithoutTrustedKeys() throws IOException {
        // signed by the attacker's key, then the entry rewritten to name the trusted key
        KeyPair attacker = BundleSignature.generate();
        Path forged = Files.write(dir.resolve("forged.zip"), SavedFile.read(unsigned, BundleFormat.Kind.BUNDLE).signed(attacker.getPrivate()));
        Map<String, byte[]> entries = CraftedZip.entries(forged);
        ObjectNode signature = (ObjectNode) CraftedZip.json(entries.get("rnnkit/signature.json"));
        signature.put("publicKey", Base64.getEncoder().encodeToString(trusted.getEncoded()));
        entries.put("rnnkit/signature.json", CraftedZip.json(signature));
        Files.write(forged, CraftedZip.build(CraftedZip.honest(entries)));
        for (Runnable load : List.<Runnable>of(() -> RnnModel.load(forged, List.of(trusted)), () -> RnnModel.load(forged))) {
            BundleIntegrityException e = assertThrows(BundleIntegrityException.class, load::run);
            assertEquals(forged + ": its signature does not match its manifest (modified after signing, or a forged signature)", e.getMessage());
        }
        assertEquals(2, CliTest.rnnkit("inspect", forged.toString()).code());
    }

    @Test
    void aSignedBundleModifiedAfterSigningIsRefusedThoughItsManifestIsConsistent() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(signed));
        byte[] signature = entries.remove("rnnkit/signature.json");
        byte[] coefficients = entries.get("coefficients.bin").clone();
        coefficients[coefficients.length - 1] ^= 1;
        entries.put("coefficients.bin", coefficients);
        Map<String, byte[]> resigned = new LinkedHashMap<>(CraftedZip.withRecomputedManifest(entries));
        resigned.put("rnnkit/signature.json", signature);
        Path modified = Files.write(dir.resolve("modified.zip"), CraftedZip.build(CraftedZip.honest(resigned)));
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(modified, List.of(trusted)));
        assertTrue(e.getMessage().contains("its signature does not match its manifest"), e.getMessage());
    }

    @Test
    void theSignatureCoversAnEnsemblesMemberEntries() throws IOException {
        Path ensemble = Files.copy(TrainedModels.ensembleClassifier().bundle(), dir.resolve("ensemble-signed.zip"));
        assertEquals(0, CliTest.rnnkit("sign", "--key", key.toString(), ensemble.toString()).code());
        assertEquals(3, RnnModel.load(ensemble, List.of(trusted)).members().size());
        // one member's parameters changed and the manifest recomputed: consistent checksums, a signature that no longer matches
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(ensemble));
        byte[] signature = entries.remove("rnnkit/signature.json");
        byte[] member = entries.get(BundleFormat.member(1)).clone();
        member[member.length - 1] ^= 1;
        entries.put(BundleFormat.member(1), member);
        Map<String, byte[]> resigned = new LinkedHashMap<>(CraftedZip.withRecomputedManifest(entries));
        resigned.put("rnnkit/signature.json", signature);
        Path modified = Files.write(dir.resolve("ensemble-modified.zip"), CraftedZip.build(CraftedZip.honest(resigned)));
        BundleIntegrityException e = assertThrows(BundleIntegrityException.class, () -> RnnModel.load(modified, List.of(trusted)));
        assertTrue(e.getMessage().contains("its signature does not match its manifest"), e.getMessage());
    }

    @Test
    void keysFromOpensslsPemLayoutAndTheDerivedPublicKeyAgree() {
        // rnnkit keygen writes PKCS #8 / X.509 PEM, the layout of openssl genpkey -algorithm ed25519 and openssl pkey -pubout
        assertArrayEquals(trusted.getEncoded(), BundleSignature.publicKeyOf(BundleSignature.readPrivateKey(key)).getEncoded());
        CliTest.Outcome o = CliTest.rnnkit("sign", "--key", dir.resolve("release.pub.pem").toString(), signed.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no '-----BEGIN PRIVATE KEY-----' block"), o.err());
    }

    @Test
    void trainSignsTheBundleItWritesAndABadKeyStopsItBeforeTraining() throws IOException {
        Path config = Files.writeString(dir.resolve("train.yaml"), io.rnnkit.config.Yaml.MINIMAL);
        CliTest.Outcome bad = CliTest.rnnkit("train", config.toString(), "--out", dir.resolve("unsigned-run").toString(),
                "--sign", dir.resolve("release.pub.pem").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(!Files.exists(dir.resolve("unsigned-run")), "nothing was trained with a key that cannot sign");
        CliTest.Outcome o = CliTest.rnnkit("train", config.toString(), "--out", dir.resolve("run").toString(), "--sign", key.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("model.zip signed by Ed25519 key " + BundleSignature.fingerprint(trusted)), o.out());
        assertEquals(BundleSignature.fingerprint(trusted), Bundle.load(dir.resolve("run").resolve("model.zip")).signer().fingerprint());
        RnnModel.load(dir.resolve("run").resolve("model.zip"), List.of(trusted));
    }
}
