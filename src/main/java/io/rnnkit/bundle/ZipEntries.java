package io.rnnkit.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip, read once from its bytes by rnnkit's own parser, refusing every file that two zip readers
 * could read differently: the central directory (what {@code ZipFile} reads) and the local headers (what
 * {@code ZipInputStream} reads, where a second entry of one name wins) must describe the same entries, in
 * records that tile the file from its first byte to the central directory with no gap a hidden entry could sit
 * in. Names are plain relative paths of the file's {@link BundleFormat.Kind}; encryption, zip64, multi-disk and
 * any method but stored and deflated are refused. Sizes are checked against {@link BundleFormat.Limits} from the
 * declared values before anything is inflated, and again while inflating, so a zip bomb costs neither memory
 * nor time. Every fault is a {@link BundleIntegrityException}.
 */
final class ZipEntries {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int ENCRYPTED = 1;
    private static final int DESCRIPTOR_FOLLOWS = 1 << 3;
    private static final int UTF8_NAMES = 1 << 11;
    /** Deflate's option bits 1–2, the descriptor and UTF-8 flags: anything else (strong encryption, masked headers) is refused. */
    private static final int KNOWN_FLAGS = 0b110 | DESCRIPTOR_FOLLOWS | UTF8_NAMES;

    private final ByteBuffer zip;
    private final String source;
    private final BundleFormat.Kind kind;
    private final BundleFormat.Limits limits;

    private ZipEntries(byte[] bytes, String source, BundleFormat.Kind kind, BundleFormat.Limits limits) {
        this.zip = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
        this.kind = kind;
        this.limits = limits;
    }

    /** One entry as the central directory describes it. */
    private record Central(String name, byte[] rawName, int flags, int method, int crc, long compressed, long size, long offset) {
    }

    /** Every entry's inflated bytes by name, in the central directory's order. */
    static Map<String, byte[]> read(byte[] bytes, String source, BundleFormat.Kind kind, BundleFormat.Limits limits) {
        return new ZipEntries(bytes, source, kind, limits).read();
    }

    private Map<String, byte[]> read() {
        int end = findEnd();
        if (u16(end + 4) != 0 || u16(end + 6) != 0 || u16(end + 8) != u16(end + 10)) {
            throw fault("a zip split over several disks is not a bundle");
        }
        int count = u16(end + 10);
        long directorySize = u32(end + 12);
        long directoryStart = u32(end + 16);
        if (count == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryStart == 0xFFFFFFFFL) {
            throw fault("zip64 archives are not bundles");
        }
        if (count > limits.entries()) {
            throw fault(count + " entries, more than a bundle has (" + limits.entries() + ")");
        }
        if (directoryStart + directorySize != end) {
            throw fault("the central directory does not end where the zip's end record starts (bytes hidden between them)");
        }
        List<Central> entries = centralDirectory((int) directoryStart, (int) directorySize, count);
        checkLocalHeadersTile(entries, directoryStart);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Central e : entries) {
            out.put(e.name(), inflate(e));
        }
        return out;
    }

    /** The end-of-central-directory record, which must end the file (a trailing comment is allowed, trailing bytes not). */
    private int findEnd() {
        int length = zip.capacity();
        for (int at = length - 22; at >= 0 && at >= length - 22 - 0xFFFF; at--) {
            if (zip.getInt(at) == END && at + 22 + u16(at + 20) == length) {
                return at;
            }
        }
        throw new BundleIntegrityException(source + ": not a bundle (not a readable zip file: no end of central directory)");
    }

    private List<Central> centralDirectory(int start, int size, int count) {
        List<Central> entries = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        long declaredTotal = 0;
        int at = start;
        for (int i = 0; i < count; i++) {
            need(at, 46, "central directory");
            if (zip.getInt(at) != CENTRAL) {
                throw fault("damaged central directory (record " + (i + 1) + " of " + count + ")");
            }
            int flags = u16(at + 8);
            int method = u16(at + 10);
            int crc = zip.getInt(at + 16);
            long compressed = u32(at + 20);
            long inflated = u32(at + 24);
            int nameLength = u16(at + 28);
            int extraLength = u16(at + 30);
            int commentLength = u16(at + 32);
            if (u16(at + 34) != 0) {
                throw fault("an entry on another disk is not part of a bundle");
            }
            long offset = u32(at + 42);
            need(at + 46, nameLength + extraLength + commentLength, "central directory");
            byte[] rawName = Arrays.copyOfRange(zip.array(), at + 46, at + 46 + nameLength);
            String name = name(rawName, flags);
            if (!names.add(name)) {
                throw fault("entry " + name + " appears twice (a second copy is what some zip readers use)");
            }
            if (!kind.allows(name)) {
                throw fault("entry " + Printable.quoted(name) + " is not part of an rnnkit " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + " (allowed: " + String.join(", ", kind.allowed()) + ")");
            }
            if ((flags & ENCRYPTED) != 0 || (flags & ~KNOWN_FLAGS) != 0) {
                throw fault("entry " + name + " is encrypted or uses zip features a bundle does not (flags 0x" + Integer.toHexString(flags) + ")");
            }
            if (method != 0 && method != 8) {
                throw fault("entry " + name + " uses compression method " + method + " (a bundle stores or deflates)");
            }
            if (method == 0 && compressed != inflated) {
                throw fault("entry " + name + " is stored, yet its sizes differ");
            }
            checkSize(name, compressed, inflated);
            declaredTotal += inflated;
            if (declaredTotal > limits.totalBytes()) {
                throw fault("its entries inflate to more than " + limits.totalBytes() + " bytes in all, more than a bundle may hold");
            }
            entries.add(new Central(name, rawName, flags, method, crc, compressed, inflated, offset));
            at += 46 + nameLength + extraLength + commentLength;
        }
        if (at != start + size) {
            throw fault("the central directory's size disagrees with its records");
        }
        return entries;
    }

    /** Refuses an entry whose declared size is over the limit, or whose ratio only a zip bomb has. */
    private void checkSize(String name, long compressed, long inflated) {
        if (inflated > limits.entryBytes()) {
            throw fault("entry " + name + " inflates to " + inflated + " bytes, more than a bundle entry may (" + limits.entryBytes() + ")");
        }
        if (inflated > limits.ratioFloor() && inflated > compressed * limits.ratio()) {
            throw fault("entry " + name + " inflates " + inflated + " bytes from " + compressed
                    + ", a ratio over " + limits.ratio() + ":1 that only a zip bomb has");
        }
    }

    /** A name as a relative path of plain segments: no absolute path, drive, backslash, {@code ..}, control character or bad UTF-8. */
    private String name(byte[] raw, int flags) {
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw fault("an entry's name is not valid UTF-8");
        }
        boolean ascii = name.chars().allMatch(c -> c < 0x80);
        if (!ascii && (flags & UTF8_NAMES) == 0) {
            throw fault("entry " + Printable.quoted(name) + " has a non-ASCII name without the UTF-8 flag (zip readers would decode it differently)");
        }
        boolean plain = !name.isEmpty() && !name.startsWith("/") && !name.contains("\\") && !name.contains(":")
                && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f)
                && Arrays.stream(name.split("/", -1)).noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
        if (!plain) {
            throw fault("entry " + Printable.quoted(name) + " is not a plain relative name (absolute, '..', backslash or empty segment)");
        }
        return name;
    }

    /**
     * Each central entry's local header must repeat its name, flags, method and (here or in the data descriptor)
     * its checksum and sizes; header, data and descriptor of every entry, in offset order, must fill the file
     * from byte 0 to the central directory exactly, so no local entry exists that the directory does not list.
     */
    private void checkLocalHeadersTile(List<Central> entries, long directoryStart) {
        List<long[]> spans = new ArrayList<>();
        for (Central e : entries) {
            if (e.offset() > directoryStart) {
                throw fault("entry " + e.name() + " starts after the central directory");
            }
            int at = (int) e.offset();
            need(at, 30, "local header of " + e.name());
            if (zip.getInt(at) != LOCAL) {
                throw fault("entry " + e.name() + " has no local header where the central directory says");
            }
            int nameLength = u16(at + 26);
            int extraLength = u16(at + 28);
            need(at + 30, nameLength + extraLength, "local header of " + e.name());
            byte[] localName = Arrays.copyOfRange(zip.array(), at + 30, at + 30 + nameLength);
            int flags = u16(at + 6);
            if (!Arrays.equals(localName, e.rawName()) || flags != e.flags() || u16(at + 8) != e.method()) {
                throw fault("entry " + e.name() + "'s local header differs from the central directory (name, flags or method)");
            }
            boolean deferred = (flags & DESCRIPTOR_FOLLOWS) != 0;
            int crc = zip.getInt(at + 14);
            long compressed = u32(at + 18);
            long inflated = u32(at + 22);
            boolean same = crc == e.crc() && compressed == e.compressed() && inflated == e.size();
            if (!same && !(deferred && crc == 0 && compressed == 0 && inflated == 0)) {
                throw fault("entry " + e.name() + "'s local header differs from the central directory (checksum or sizes)");
            }
            long dataStart = (long) at + 30 + nameLength + extraLength;
            long dataEnd = dataStart + e.compressed();
            if (dataEnd > directoryStart) {
                throw fault("entry " + e.name() + "'s data runs into the central directory");
            }
            long spanEnd = dataEnd;
            if (deferred) {
                int d = (int) dataEnd;
                boolean signed = d + 4 <= directoryStart && zip.getInt(d) == DESCRIPTOR;
                int fields = signed ? d + 4 : d;
                if (fields + 12 > directoryStart || zip.getInt(fields) != e.crc() || u32(fields + 4) != e.compressed()
                        || u32(fields + 8) != e.size()) {
                    throw fault("entry " + e.name() + "'s data descriptor differs from the central directory");
                }
                spanEnd = fields + 12;
            }
            spans.add(new long[]{at, spanEnd});
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        long expected = 0;
        for (long[] span : spans) {
            if (span[0] != expected) {
                throw fault(span[0] > expected
                        ? "bytes " + expected + "–" + span[0] + " belong to no listed entry (a hidden entry, or a damaged zip)"
                        : "two entries overlap at byte " + span[0]);
            }
            expected = span[1];
        }
        if (expected != directoryStart) {
            throw fault("bytes " + expected + "–" + directoryStart + " belong to no listed entry (a hidden entry, or a damaged zip)");
        }
    }

    /** The entry's bytes, inflated into an array of its declared size, never past it; then its CRC-32 checked. */
    private byte[] inflate(Central e) {
        int at = (int) e.offset();
        int dataStart = at + 30 + u16(at + 26) + u16(at + 28);
        byte[] out = new byte[(int) e.size()];
        if (e.method() == 0) {
            System.arraycopy(zip.array(), dataStart, out, 0, out.length);
        } else {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(zip.array(), dataStart, (int) e.compressed());
                int done = 0;
                while (done < out.length && !inflater.finished()) {
                    int n = inflater.inflate(out, done, out.length - done);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw fault("entry " + e.name() + " is truncated (its deflated data ends early)");
                    }
                    done += n;
                }
                if (!inflater.finished()) {
                    // the declared size is full: one more byte would prove the entry longer than declared
                    byte[] probe = new byte[1];
                    if (inflater.inflate(probe) > 0 || !inflater.finished()) {
                        throw fault("entry " + e.name() + " inflates to more than its declared " + e.size() + " bytes");
                    }
                }
                if (done != out.length || inflater.getRemaining() != 0) {
                    throw fault("entry " + e.name() + "'s deflated data disagrees with its declared sizes");
                }
            } catch (DataFormatException ex) {
                throw fault("entry " + e.name() + " is not valid deflated data: " + ex.getMessage());
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if ((int) crc.getValue() != e.crc()) {
            throw fault("entry " + e.name() + " fails its CRC-32 check (corrupt)");
        }
        return out;
    }

    private void need(long at, long length, String what) {
        if (at < 0 || at + length > zip.capacity()) {
            throw fault("truncated " + what);
        }
    }

    private int u16(int at) {
        return Short.toUnsignedInt(zip.getShort(at));
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(zip.getInt(at));
    }

    private BundleIntegrityException fault(String what) {
        return new BundleIntegrityException(source + ": " + what);
    }
}
