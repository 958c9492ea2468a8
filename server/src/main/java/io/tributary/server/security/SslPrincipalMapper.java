package io.tributary.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a client certificate's distinguished name (RFC 2253, as {@code X500Principal.getName()} prints it) into a
 * principal name by Kafka's {@code ssl.principal.mapping.rules}: a comma-separated list of {@code DEFAULT} (the name
 * as it is) and {@code RULE:pattern/replacement/} entries with an optional {@code L} or {@code U} after the last slash
 * (lower- or upper-case the result). The first rule whose pattern matches the whole name applies; a slash or comma
 * inside a pattern is written {@code \/} or part of the regular expression (commas are split on only where an entry
 * ends). A name no rule matches is refused, as Kafka refuses it.
 */
public final class SslPrincipalMapper {
    private final List<Rule> rules;

    private record Rule(Pattern pattern, String replacement, char caseChange) {
        /** The mapped name, or null when this rule does not match. */
        String apply(String distinguishedName) {
            if (pattern == null) {
                return distinguishedName;
            }
            Matcher matcher = pattern.matcher(distinguishedName);
            if (!matcher.matches()) {
                return null;
            }
            String mapped = matcher.replaceAll(replacement);
            return switch (caseChange) {
                case 'L' -> mapped.toLowerCase(Locale.ROOT);
                case 'U' -> mapped.toUpperCase(Locale.ROOT);
                default -> mapped;
            };
        }
    }

    private SslPrincipalMapper(List<Rule> rules) {
        this.rules = rules;
    }

    /** @throws IllegalArgumentException naming the offending entry */
    public static SslPrincipalMapper parse(String rules) {
        List<Rule> parsed = new ArrayList<>();
        int at = 0;
        String text = rules.trim();
        while (at < text.length()) {
            if (text.startsWith("DEFAULT", at)) {
                parsed.add(new Rule(null, null, ' '));
                at += "DEFAULT".length();
            } else if (text.startsWith("RULE:", at)) {
                at += "RULE:".length();
                StringBuilder pattern = new StringBuilder();
                at = readUntilSlash(text, at, pattern);
                StringBuilder replacement = new StringBuilder();
                at = readUntilSlash(text, at, replacement);
                char caseChange = ' ';
                if (at < text.length() && (text.charAt(at) == 'L' || text.charAt(at) == 'U')) {
                    caseChange = text.charAt(at++);
                }
                try {
                    parsed.add(new Rule(Pattern.compile(pattern.toString()), replacement.toString(), caseChange));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("Invalid pattern in ssl.principal.mapping.rules: " + pattern, e);
                }
            } else {
                throw new IllegalArgumentException("Invalid entry in ssl.principal.mapping.rules at " + text.substring(at));
            }
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw new IllegalArgumentException("Invalid entry in ssl.principal.mapping.rules at " + text.substring(at));
                }
                at++;
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("ssl.principal.mapping.rules has no rule");
        }
        return new SslPrincipalMapper(List.copyOf(parsed));
    }

    private static int readUntilSlash(String text, int at, StringBuilder into) {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\' && at + 1 < text.length() && text.charAt(at + 1) == '/') {
                into.append('/');
                at += 2;
            } else if (c == '/') {
                return at + 1;
            } else {
                into.append(c);
                at++;
            }
        }
        throw new IllegalArgumentException("Unterminated RULE in ssl.principal.mapping.rules: " + into);
    }

    static boolean isValid(String rules) {
        try {
            parse(rules);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The principal name of {@code distinguishedName}.
     *
     * @throws IllegalArgumentException when no rule applies
     */
    public String map(String distinguishedName) {
        for (Rule rule : rules) {
            String mapped = rule.apply(distinguishedName);
            if (mapped != null) {
                return mapped;
            }
        }
        throw new IllegalArgumentException("No ssl.principal.mapping.rules entry applies to " + distinguishedName);
    }
}
