package io.tributary.protocol;

/**
 * Client-supplied text (client ids, group ids, member and instance ids, topic names a client asked for) made safe
 * for a log line: whatever a client sends, the line stays one line and shows every character it received.
 *
 * <p>Format: printable characters as they are; backslash as {@code \\}; newline, carriage return and tab as
 * {@code \n}, {@code \r}, {@code \t}; every other control character (C0, DEL, C1), the Unicode line and paragraph
 * separators and unpaired surrogates as {@code \}{@code uXXXX}. Text longer than {@value #MAX_CHARS} characters is
 * cut there and ends with a note of how many characters were left out; null is {@code null}. Escaping twice is
 * unambiguous (a backslash always doubles), so a reader can tell a client's literal {@code \n} from a newline.
 */
public final class ClientText {
    /** The most characters of one client string a log line shows. */
    public static final int MAX_CHARS = 256;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ClientText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), MAX_CHARS);
        if (shown == text.length() && isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsEscape(text, i, c)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                            .append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < text.length()) {
            out.append("...(").append(text.length() - shown).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || needsEscape(text, i, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsEscape(String text, int i, char c) {
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }
}
