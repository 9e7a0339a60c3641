package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A bundle or a checkpoint, read once from its bytes and verified before any entry is used: the zip by
 * {@link ZipEntries} (one reading, allowed names, size limits), then the manifest — its format and version, and
 * the SHA-256 of every entry, which must be exactly the entries present — then the signature, when there is one.
 * What is handed on are these verified bytes in memory; nothing reads the file again. Writing is the reverse:
 * entries, then the manifest of their checksums, then optionally the manifest's signature.
 */
public final class SavedFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String source;
    private final Map<String, byte[]> entries;
    private final Bundle.Manifest manifest;
    private final BundleSignature.Signer signer;

    private SavedFile(String source, Map<String, byte[]> entries, Bundle.Manifest manifest, BundleSignature.Signer signer) {
        this.source = source;
        this.entries = entries;
        this.manifest = manifest;
        this.signer = signer;
    }

    /** Reads and verifies {@code file}; every fault is a {@link BundleException} naming it. */
    public static SavedFile read(Path file, BundleFormat.Kind kind) {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new BundleException(source + ": no such " + noun(kind));
        }
        try {
            long size = Files.size(file);
            if (size > BundleFormat.LIMITS.fileBytes()) {
                throw new BundleIntegrityException(source + ": " + size + " bytes, larger than a " + noun(kind) + " may be ("
                        + BundleFormat.LIMITS.fileBytes() + ")");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return of(in.readNBytes((int) size), source, kind);
            }
        } catch (IOException e) {
            throw new BundleException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads and verifies a bundle from a stream (read to its end, at most the size limit, not closed); messages call it {@code source}. */
    public static SavedFile read(InputStream in, String source, BundleFormat.Kind kind) {
        try {
            long limit = BundleFormat.LIMITS.fileBytes();
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw new BundleIntegrityException(source + ": larger than a " + noun(kind) + " may be (" + limit + " bytes)");
            }
            return of(bytes, source, kind);
        } catch (IOException e) {
            throw new BundleException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Verifies the bytes of a whole file. */
    static SavedFile of(byte[] zip, String source, BundleFormat.Kind kind) {
        Map<String, byte[]> entries = ZipEntries.read(zip, source, kind, BundleFormat.LIMITS);
        byte[] manifestBytes = entries.get(BundleFormat.MANIFEST);
        if (manifestBytes == null) {
            throw new BundleIntegrityException(source + ": missing entry " + BundleFormat.MANIFEST + " (not an rnnkit " + noun(kind)
                    + ", or a damaged one)");
        }
        Bundle.Manifest manifest;
        try {
            manifest = JSON.readValue(manifestBytes, Bundle.Manifest.class);
        } catch (IOException e) {
            throw new BundleIntegrityException(source + ": unreadable manifest " + BundleFormat.MANIFEST + ": " + e.getMessage(), e);
        }
        if (manifest == null || !kind.format().equals(manifest.format())) {
            throw new BundleException(source + ": not an rnnkit " + noun(kind) + " (format "
                    + (manifest == null ? "missing" : Printable.quoted(manifest.format())) + ")");
        }
        if (manifest.formatVersion() > BundleFormat.VERSION) {
            throw new BundleVersionException(source, manifest.formatVersion());
        }
        if (manifest.formatVersion() < 1 || manifest.entries() == null) {
            throw new BundleIntegrityException(source + ": a manifest without a format version or entries");
        }
        checkChecksums(source, kind, entries, manifest);
        BundleSignature.Signer signer = entries.containsKey(BundleFormat.SIGNATURE)
                ? BundleSignature.verify(entries.get(BundleFormat.SIGNATURE), manifestBytes, source) : null;
        return new SavedFile(source, entries, manifest, signer);
    }

    /** The manifest lists exactly the entries present (but itself and the signature), each with its SHA-256. */
    private static void checkChecksums(String source, BundleFormat.Kind kind, Map<String, byte[]> entries, Bundle.Manifest manifest) {
        for (Map.Entry<String, String> expected : manifest.entries().entrySet()) {
            String name = expected.getKey();
            if (!kind.allows(name) || name.equals(BundleFormat.MANIFEST) || name.equals(BundleFormat.SIGNATURE)) {
                throw new BundleIntegrityException(source + ": the manifest lists " + Printable.quoted(name) + ", which is not a "
                        + noun(kind) + " entry");
            }
            byte[] bytes = entries.get(name);
            if (bytes == null) {
                throw new BundleIntegrityException(source + ": entry " + name + " listed in the manifest is missing");
            }
            if (!sha256(bytes).equals(expected.getValue())) {
                throw new BundleIntegrityException(source + ": entry " + name + " fails its SHA-256 check (corrupt or modified)");
            }
        }
        for (String name : entries.keySet()) {
            if (!name.equals(BundleFormat.MANIFEST) && !name.equals(BundleFormat.SIGNATURE) && !manifest.entries().containsKey(name)) {
                throw new BundleIntegrityException(source + ": entry " + name + " is not in the manifest (the " + noun(kind) + " was modified)");
            }
        }
        for (String name : kind.required()) {
            if (!entries.containsKey(name)) {
                throw new BundleIntegrityException(source + ": missing entry " + name + " (not an rnnkit " + noun(kind) + ", or a damaged one)");
            }
        }
    }

    /**
     * A zip of {@code entries} (in order), the manifest of their checksums in format version {@link BundleFormat#VERSION},
     * and, when {@code key} is not null, the manifest's signature by it.
     */
    public static byte[] write(Map<String, byte[]> entries, BundleFormat.Kind kind, PrivateKey key) {
        Map<String, String> checksums = new TreeMap<>();
        entries.forEach((name, bytes) -> checksums.put(name, sha256(bytes)));
        try {
            byte[] manifest = JSON.writeValueAsBytes(new Bundle.Manifest(kind.format(), BundleFormat.VERSION, checksums));
            return zip(entries, manifest, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This file again, with its manifest (unchanged) signed by {@code key}, replacing any earlier signature. */
    public byte[] signed(PrivateKey key) {
        Map<String, byte[]> content = new LinkedHashMap<>(entries);
        byte[] manifestBytes = content.remove(BundleFormat.MANIFEST);
        content.remove(BundleFormat.SIGNATURE);
        return zip(content, manifestBytes, key);
    }

    private static byte[] zip(Map<String, byte[]> entries, byte[] manifest, PrivateKey key) {
        Map<String, byte[]> all = new LinkedHashMap<>(entries);
        all.put(BundleFormat.MANIFEST, manifest);
        if (key != null) {
            all.put(BundleFormat.SIGNATURE, BundleSignature.sign(manifest, key));
        }
        return zip(all);
    }

    /** A zip of {@code entries} in their order, as rnnkit writes it (tests craft files from it too). */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Where the file came from, as messages name it. */
    public String source() {
        return source;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** A verified entry's bytes (the caller's copy). */
    public byte[] bytes(String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new BundleIntegrityException(source + ": missing entry " + name + " (not an rnnkit bundle, or a damaged one)");
        }
        return bytes.clone();
    }

    public Bundle.Manifest manifest() {
        return manifest;
    }

    /** Who signed the manifest (the signature verified against the key it names), or null for an unsigned file. */
    public BundleSignature.Signer signer() {
        return signer;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String noun(BundleFormat.Kind kind) {
        return kind == BundleFormat.Kind.BUNDLE ? "bundle" : "checkpoint";
    }
}
