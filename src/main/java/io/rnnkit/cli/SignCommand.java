package io.rnnkit.cli;

import io.rnnkit.AtomicFiles;
import io.rnnkit.bundle.BundleFormat;
import io.rnnkit.bundle.BundleSignature;
import io.rnnkit.bundle.SavedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "sign", description = {"Sign bundles with an Ed25519 private key, so that applications can require bundles from you "
        + "(RnnModel.load(path, trustedKeys)).", "A key: rnnkit keygen --out KEY, or openssl genpkey -algorithm ed25519 -out KEY.pem."})
final class SignCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, paramLabel = "KEY", description = "The private key, PEM (PKCS #8).")
    Path key;

    @Parameters(paramLabel = "BUNDLE", arity = "1..*", description = "The bundles to sign, such as runs/x/model.zip (replaced in place).")
    List<Path> bundles;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        PrivateKey privateKey = BundleSignature.readPrivateKey(key);
        for (Path bundle : bundles) {
            System.out.println(bundle + ": signed by Ed25519 key " + sign(bundle, privateKey));
        }
        return 0;
    }

    /**
     * Verifies the bundle, then replaces it atomically with the same entries and manifest plus the manifest's
     * signature by {@code key}; returns the key's fingerprint.
     */
    static String sign(Path bundle, PrivateKey key) {
        AtomicFiles.write(bundle, SavedFile.read(bundle, BundleFormat.Kind.BUNDLE).signed(key));
        return BundleSignature.fingerprint(BundleSignature.publicKeyOf(key));
    }
}
