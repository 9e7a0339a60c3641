package io.rnnkit.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Zips as an attacker writes them, byte by byte: entries that only the local headers or only the central
 * directory list, names that differ between the two, sizes that lie, deflate streams that inflate to a gigabyte.
 * Uses only what every rnnkit version has, so the tests built on it also run against older code.
 */
public final class CraftedZip {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One entry: {@code data} is what is stored (already deflated when {@code deflated}); {@code size} and
     * {@code crc} are the inflated size and checksum the headers claim.
     */
    public record Entry(String localName, String centralName, byte[] data, boolean deflated, long size, int crc, boolean inCentral) {
        public static Entry of(String name, byte[] content) {
            return new Entry(name, name, deflate(content), true, content.length, CraftedZip.crc(content), true);
        }

        Entry onlyLocal() {
            return new Entry(localName, centralName, data, deflated, size, crc, false);
        }

        Entry centralName(String name) {
            return new Entry(localName, name, data, deflated, size, crc, inCentral);
        }

        Entry claimedSize(long claimed) {
            return new Entry(localName, centralName, data, deflated, claimed, crc, inCentral);
        }
    }

    private CraftedZip() {
    }

    /** The entries of an honest zip, in order. */
    public static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                try (InputStream in = file.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /**
     * The entries with {@code rnnkit/manifest.json} recomputed over all the others (as an attacker who can edit
     * the file can do), keeping its format and version.
     */
    static Map<String, byte[]> withRecomputedManifest(Map<String, byte[]> entries) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        ObjectNode manifest = (ObjectNode) JSON.readTree(out.remove("rnnkit/manifest.json"));
        Map<String, String> sums = new TreeMap<>();
        out.forEach((name, bytes) -> sums.put(name, sha256(bytes)));
        manifest.set("entries", JSON.valueToTree(sums));
        out.put("rnnkit/manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        return out;
    }

    public static List<Entry> honest(Map<String, byte[]> entries) {
        List<Entry> out = new ArrayList<>();
        entries.forEach((name, bytes) -> out.add(Entry.of(name, bytes)));
        return out;
    }

    /** Local headers and data in order, then the central directory of the entries it lists, then the end record. */
    public static byte[] build(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            byte[] name = e.localName().getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = header(30 + name.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) (e.deflated() ? 8 : 0))
                    .putShort((short) 0).putShort((short) 0x21).putInt(e.crc()).putInt((int) e.data().length)
                    .putInt((int) e.size()).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(e.data());
        }
        long directoryStart = out.size();
        int listed = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!e.inCentral()) {
                continue;
            }
            listed++;
            byte[] name = e.centralName().getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = header(46 + name.length);
            h.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                    .putShort((short) (e.deflated() ? 8 : 0)).putShort((short) 0).putShort((short) 0x21).putInt(e.crc())
                    .putInt(e.data().length).putInt((int) e.size()).putShort((short) name.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) (long) offsets.get(i)).put(name);
            out.writeBytes(h.array());
        }
        long directorySize = out.size() - directoryStart;
        ByteBuffer end = header(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) listed).putShort((short) listed)
                .putInt((int) directorySize).putInt((int) directoryStart).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    /**
     * {@code 1 + 258·k} zeros as one raw deflate block with fixed Huffman codes: a literal zero, then k copies of
     * "258 bytes from distance 1" (13 bits each, about 159:1), so a gigabyte costs 7 MB and milliseconds to build.
     */
    static Entry zeros(String name, long copies) {
        BitWriter bits = new BitWriter((int) (copies * 13 / 8 + 16));
        bits.write(1, 1); // last block
        bits.write(1, 2); // fixed Huffman codes
        bits.code(0x30, 8); // literal 0
        for (long i = 0; i < copies; i++) {
            bits.code(0xC5, 8); // length 258 (symbol 285)
            bits.code(0, 5); // distance 1
        }
        bits.code(0, 7); // end of block
        long size = 1 + 258 * copies;
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
            crc.update(chunk, 0, (int) Math.min(chunk.length, left));
        }
        return new Entry(name, name, bits.bytes(), true, size, (int) crc.getValue(), true);
    }

    static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static int crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return (int) crc.getValue();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(byte[] bytes) throws IOException {
        return JSON.readTree(bytes);
    }

    static byte[] json(JsonNode node) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    private static ByteBuffer header(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Deflate's bit order: fields least significant bit first, Huffman codes most significant bit first. */
    private static final class BitWriter {
        private final byte[] out;
        private int bit;

        BitWriter(int capacity) {
            out = new byte[capacity];
        }

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                if (((value >> i) & 1) != 0) {
                    out[bit >> 3] |= (byte) (1 << (bit & 7));
                }
                bit++;
            }
        }

        void code(int code, int length) {
            for (int i = length - 1; i >= 0; i--) {
                write((code >> i) & 1, 1);
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(out, (bit + 7) >> 3);
        }
    }
}
