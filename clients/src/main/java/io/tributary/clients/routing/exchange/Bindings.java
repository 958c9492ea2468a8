package io.tributary.clients.routing.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of {@link Binding}s, in the order they were added (duplicates dropped).
 *
 * <h2>File format</h2>
 * UTF-8 text, one binding per line, words separated by blanks; blank lines and lines whose first non-blank
 * character is {@code //} are ignored (not {@code #}, which is a pattern word):
 * <pre>
 * // type    routing key or pattern   destination topic
 * direct     payment.created          payments
 * topic      order.eu.#               orders-eu
 * topic      order.*.cancelled        cancellations
 * fanout                              audit
 * </pre>
 * The empty routing key (or pattern) is written {@code ""}. Any other line is an error naming the line number, the
 * line and the expected form.
 */
public final class Bindings {
    public static final Bindings NONE = new Bindings(List.of());

    private final List<Binding> bindings;

    private Bindings(List<Binding> bindings) {
        this.bindings = List.copyOf(new LinkedHashSet<>(bindings));
    }

    public static Bindings of(Binding... bindings) {
        return new Bindings(List.of(bindings));
    }

    public static Bindings of(List<Binding> bindings) {
        return new Bindings(bindings);
    }

    public List<Binding> all() {
        return bindings;
    }

    /** These bindings and {@code binding} (unchanged if it is already here). */
    public Bindings with(Binding binding) {
        List<Binding> more = new ArrayList<>(bindings);
        more.add(binding);
        return new Bindings(more);
    }

    /** These bindings without {@code binding} (unchanged if it is not here). */
    public Bindings without(Binding binding) {
        List<Binding> fewer = new ArrayList<>(bindings);
        fewer.remove(binding);
        return new Bindings(fewer);
    }

    /**
     * The topics a send with {@code routingKey} goes to: each topic with at least one matching binding, once, in the
     * order of the first binding that names it.
     */
    public Set<String> destinations(String routingKey) {
        Set<String> topics = new LinkedHashSet<>();
        for (Binding b : bindings) {
            if (!topics.contains(b.destination()) && b.matches(routingKey)) {
                topics.add(b.destination());
            }
        }
        return topics;
    }

    /** Reads a bindings file (see the class comment). */
    public static Bindings load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bindings file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the file format.
     *
     * @param source named in errors (a file name)
     * @throws IllegalArgumentException naming the source, the line number, the line and what was expected
     */
    public static Bindings parse(String text, String source) {
        List<Binding> parsed = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            String[] words = line.split("\\s+");
            try {
                parsed.add(switch (words[0]) {
                    case "direct" -> {
                        expect(words, 3);
                        yield Binding.direct(unquote(words[1]), words[2]);
                    }
                    case "topic" -> {
                        expect(words, 3);
                        yield Binding.topic(unquote(words[1]), words[2]);
                    }
                    case "fanout" -> {
                        expect(words, 2);
                        yield Binding.fanout(words[1]);
                    }
                    default -> throw new IllegalArgumentException("unknown binding type '" + words[0] + "'");
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " '" + line + "': " + e.getMessage()
                    + "; expected 'direct <key> <topic>', 'topic <pattern> <topic>' or 'fanout <topic>'", e);
            }
        }
        return new Bindings(parsed);
    }

    private static String unquote(String word) {
        return word.equals("\"\"") ? "" : word;
    }

    private static void expect(String[] words, int count) {
        if (words.length != count) {
            throw new IllegalArgumentException(words.length + " words where " + count + " are needed");
        }
    }

    /** The file format, one binding per line. */
    public String toFileText() {
        StringBuilder text = new StringBuilder();
        bindings.forEach(b -> text.append(b).append('\n'));
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bindings other && bindings.equals(other.bindings);
    }

    @Override
    public int hashCode() {
        return bindings.hashCode();
    }

    @Override
    public String toString() {
        return "Bindings" + bindings;
    }
}
