package io.rnnkit.cli;

import io.rnnkit.AtomicFiles;
import io.rnnkit.BadInputException;
import io.rnnkit.bundle.BundleSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;

@Command(name = "keygen", description = "Make an Ed25519 key pair for signing bundles: KEY.pem (private; keep it) and KEY.pub.pem "
        + "(public; give it to the applications that load your bundles).")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "KEY", description = "Path of the key pair without extension, such as keys/release.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Path privateFile = Path.of(out + ".pem");
        Path publicFile = Path.of(out + ".pub.pem");
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            throw new BadInputException(privateFile + " or " + publicFile + " exists already; a key is never overwritten");
        }
        KeyPair pair = BundleSignature.generate();
        // created readable by its owner only, before a byte of the key is written
        if (privateFile.toAbsolutePath().getParent() != null) {
            Files.createDirectories(privateFile.toAbsolutePath().getParent());
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(privateFile);
        }
        Files.writeString(privateFile, BundleSignature.pem(pair.getPrivate()), StandardCharsets.US_ASCII);
        AtomicFiles.write(publicFile, BundleSignature.pem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
        System.out.println("private key: " + privateFile + " (rnnkit sign --key " + privateFile + " BUNDLE)");
        System.out.println("public key:  " + publicFile + ", fingerprint " + BundleSignature.fingerprint(pair.getPublic()));
        return 0;
    }
}
