package io.tributary.clients.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One login module entry of Kafka's {@code sasl.jaas.config}: {@code <LoginModuleClass> <flag> key=value key="quoted
 * value" ... ;}, where the flag is required, requisite, sufficient or optional and a quoted value may hold spaces,
 * {@code ;} and backslash escapes. Only the first entry counts, as in Kafka's clients (which refuse more than one).
 */
public record JaasConfig(String loginModule, Map<String, String> options) {

    /** @throws IllegalArgumentException saying what is wrong, never echoing a value (it may be a password) */
    public static JaasConfig parse(String text) {
        String s = text.trim();
        int i = 0;
        int n = s.length();
        int start = i;
        while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ';') {
            i++;
        }
        String module = s.substring(start, i);
        if (module.isEmpty()) {
            throw new IllegalArgumentException("no login module class at the start of sasl.jaas.config");
        }
        i = skipSpaces(s, i);
        start = i;
        while (i < n && Character.isLetter(s.charAt(i))) {
            i++;
        }
        String flag = s.substring(start, i).toLowerCase(java.util.Locale.ROOT);
        if (!flag.equals("required") && !flag.equals("requisite") && !flag.equals("sufficient") && !flag.equals("optional")) {
            throw new IllegalArgumentException("sasl.jaas.config: " + module + " must be followed by required, requisite,"
                + " sufficient or optional");
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (true) {
            i = skipSpaces(s, i);
            if (i >= n) {
                throw new IllegalArgumentException("sasl.jaas.config does not end with ';'");
            }
            if (s.charAt(i) == ';') {
                break;
            }
            start = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ';') {
                i++;
            }
            String key = s.substring(start, i);
            i = skipSpaces(s, i);
            if (i >= n || s.charAt(i) != '=') {
                throw new IllegalArgumentException("sasl.jaas.config: option " + key + " has no '=value'");
            }
            i = skipSpaces(s, i + 1);
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        i++;
                        c = s.charAt(i);
                    }
                    value.append(c);
                    i++;
                }
                if (i >= n) {
                    throw new IllegalArgumentException("sasl.jaas.config: the value of option " + key + " has no closing quote");
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ';') {
                    value.append(s.charAt(i++));
                }
            }
            options.put(key, value.toString());
        }
        return new JaasConfig(module, Map.copyOf(options));
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    public String option(String key) {
        return options.get(key);
    }

    @Override
    public String toString() {
        return loginModule + " with options " + options.keySet(); // never the values
    }
}
