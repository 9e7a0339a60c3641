package io.rnnkit.bundle;

/**
 * Text from a bundle made safe for a terminal: a name in a bundle is data, and control characters in it
 * (escape sequences that move the cursor, retitle the window or hide text; bidirectional overrides that
 * reorder it) are shown as JSON-style escapes (backslash, u, four hex digits) instead of acting on the terminal. Inside JSON text the escapes
 * stay valid JSON.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every C0/C1 control, DEL and bidirectional control written as JSON-style escapes (backslash, u, four hex digits). */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                    || c == 0x200e || c == 0x200f || c == 0x061c) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A name in single quotes, escaped. */
    public static String quoted(String name) {
        return "'" + escape(name) + "'";
    }
}
