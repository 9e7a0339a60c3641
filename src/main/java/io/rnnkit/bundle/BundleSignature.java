package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnkit.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 signatures of a bundle's manifest ({@link BundleFormat#SIGNATURE}), with the JDK's own
 * {@code java.security}. The manifest holds the SHA-256 of every other entry, so signing it signs the bundle:
 * checksums prove the bytes are what was written, a signature by a key you trust proves who wrote them. Keys
 * are PEM files: a private key in PKCS #8 ({@code -----BEGIN PRIVATE KEY-----}, as {@code rnnkit keygen} and
 * {@code openssl genpkey -algorithm ed25519} write it), a public key in X.509 ({@code -----BEGIN PUBLIC KEY-----}).
 * A key's fingerprint is the SHA-256 of its X.509 encoding, in hex: what
 * {@code openssl pkey -pubin -in KEY.pub -outform DER | sha256sum} prints.
 */
public final class BundleSignature {
    private static final String ALGORITHM = "Ed25519";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private BundleSignature() {
    }

    /** {@code rnnkit/signature.json}: the algorithm, the signer's public key (X.509, Base64) and the signature (Base64). */
    record Entry(String algorithm, String publicKey, String signature) {
    }

    /** The key whose signature of the manifest verified. */
    public record Signer(PublicKey key, String fingerprint) {
    }

    static byte[] sign(byte[] manifest, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(manifest);
            PublicKey publicKey = publicKeyOf(key);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Entry(ALGORITHM,
                    Base64.getEncoder().encodeToString(publicKey.getEncoded()), Base64.getEncoder().encodeToString(s.sign())));
        } catch (GeneralSecurityException | IOException e) {
            throw new BadInputException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Checks the signature against the manifest's exact bytes with the key the entry names; a fault is an integrity fault. */
    static Signer verify(byte[] entry, byte[] manifest, String source) {
        try {
            Entry e = JSON.readValue(entry, Entry.class);
            if (!ALGORITHM.equals(e.algorithm())) {
                throw new BundleIntegrityException(source + ": signed with " + Printable.quoted(String.valueOf(e.algorithm()))
                        + "; rnnkit signs and verifies Ed25519 only");
            }
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(e.publicKey())));
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(manifest);
            if (!s.verify(Base64.getDecoder().decode(e.signature()))) {
                throw new BundleIntegrityException(source + ": its signature does not match its manifest (modified after signing,"
                        + " or a forged signature)");
            }
            return new Signer(key, fingerprint(key));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            if (e instanceof BundleIntegrityException b) {
                throw b;
            }
            throw new BundleIntegrityException(source + ": unreadable signature " + BundleFormat.SIGNATURE + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a file not signed by one of {@code trusted}. */
    static void requireTrusted(SavedFile file, Collection<PublicKey> trusted) {
        Signer signer = file.signer();
        if (signer == null) {
            throw new BundleIntegrityException(file.source() + ": not signed, and a signature by a trusted key is required");
        }
        boolean known = trusted.stream().anyMatch(k -> Arrays.equals(k.getEncoded(), signer.key().getEncoded()));
        if (!known) {
            throw new BundleIntegrityException(file.source() + ": signed by key " + signer.fingerprint()
                    + ", which is not among the trusted keys");
        }
    }

    /** SHA-256 of the key's X.509 encoding, hex. */
    public static String fingerprint(PublicKey key) {
        return SavedFile.sha256(key.getEncoded());
    }

    /** A private key from a PEM file (PKCS #8). */
    public static PrivateKey readPrivateKey(Path file) {
        byte[] der = pem(file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new BadInputException(file + ": not an Ed25519 private key (" + e.getMessage() + ")", e);
        }
    }

    /** A public key from a PEM file (X.509). */
    public static PublicKey readPublicKey(Path file) {
        byte[] der = pem(file, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new BadInputException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    /** A new key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PEM text of a private (PKCS #8) or public (X.509) key. */
    public static String pem(java.security.Key key) {
        String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END " + type + "-----\n";
    }

    /**
     * The public key of an Ed25519 private key. The JDK has no call for it, but its key generator takes the private
     * key's 32 bytes from the random source it is given: fed exactly those bytes, it rebuilds the pair.
     */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
                    .orElseThrow(() -> new BadInputException("the private key's bytes are not available"));
            SecureRandom replay = new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            };
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, replay);
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(((java.security.interfaces.EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
                throw new IllegalStateException("the JDK's Ed25519 key generator did not rebuild the key pair");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new BadInputException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the key: " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new BadInputException(file + ": no '-----BEGIN " + type + "-----' block (an Ed25519 key in PEM: "
                + (type.equals("PRIVATE KEY") ? "openssl genpkey -algorithm ed25519 -out KEY.pem, or rnnkit keygen" : "openssl pkey -in KEY.pem -pubout") + ")");
    }
}
