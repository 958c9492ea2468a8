package io.tributary.clients.routing;

import io.tributary.clients.routing.exchange.Binding;
import io.tributary.clients.routing.exchange.Bindings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routing-key patterns and bindings against a model. The model turns a pattern into a regular expression over the
 * key written with a dot before every word ({@code a.b} -> {@code .a.b}): a literal word is {@code \.word}, {@code *}
 * is {@code \.[^.]*} and {@code #} is {@code (\.[^.]*)*}. Keys and patterns come from a small alphabet (empty words
 * included) so that matches are frequent.
 */
class RoutingKeyPatternProperties {
    static boolean model(String pattern, String key) {
        StringBuilder regex = new StringBuilder();
        for (String w : pattern.split("\\.", -1)) {
            switch (w) {
                case "*" -> regex.append("\\.[^.]*");
                case "#" -> regex.append("(\\.[^.]*)*");
                default -> regex.append("\\.").append(Pattern.quote(w));
            }
        }
        return Pattern.matches(regex.toString(), "." + key);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars('a', 'b', 'c', '.').ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> patterns() {
        // Mostly whole-word wildcards; "a*" and "#b" words are literals and must be treated so.
        return Arbitraries.of("a", "b", "", "*", "#", "#", "*", "a*", "#b").list().ofMinSize(1).ofMaxSize(5)
            .map(words -> String.join(".", words));
    }

    @Property(tries = 3000)
    void patternMatchesAsTheModel(@ForAll("patterns") String pattern, @ForAll("keys") String key) {
        assertThat(RoutingKeyPattern.compile(pattern).matches(key)).as("%s against %s", pattern, key).isEqualTo(model(pattern, key));
    }

    @Provide
    Arbitrary<Binding> bindings() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), patterns(), Arbitraries.of("t1", "t2", "t3", "t4"))
            .as((type, pattern, topic) -> switch (type) {
                case 0 -> Binding.direct(pattern.replace('*', 'a').replace('#', 'b'), topic);
                case 1 -> Binding.topic(pattern, topic);
                default -> Binding.fanout(topic);
            });
    }

    @Property(tries = 1000)
    void aSendGoesToEveryMatchingDestinationOnce(@ForAll("bindingLists") List<Binding> list, @ForAll("keys") String key) {
        Set<String> expected = new LinkedHashSet<>();
        for (Binding b : list) {
            boolean matches = switch (b.type()) {
                case DIRECT -> b.key().equals(key);
                case TOPIC -> model(b.key(), key);
                case FANOUT -> true;
            };
            if (matches) {
                expected.add(b.destination());
            }
        }
        Bindings bindings = Bindings.of(list);
        assertThat(bindings.destinations(key)).containsExactlyElementsOf(expected);
        // The file form reads back to the same bindings.
        assertThat(Bindings.parse(bindings.toFileText(), "generated")).isEqualTo(bindings);
    }

    @Provide
    Arbitrary<List<Binding>> bindingLists() {
        return bindings().list().ofMaxSize(8);
    }

    @Test
    void examplesFromTheAmqpDocumentation() {
        assertThat(RoutingKeyPattern.compile("*.orange.*").matches("quick.orange.rabbit")).isTrue();
        assertThat(RoutingKeyPattern.compile("*.*.rabbit").matches("quick.orange.rabbit")).isTrue();
        assertThat(RoutingKeyPattern.compile("lazy.#").matches("lazy")).isTrue();
        assertThat(RoutingKeyPattern.compile("lazy.#").matches("lazy.pink.rabbit")).isTrue();
        assertThat(RoutingKeyPattern.compile("*.orange.*").matches("orange")).isFalse();
        assertThat(RoutingKeyPattern.compile("*.orange.*").matches("quick.orange.male.rabbit")).isFalse();
        assertThat(RoutingKeyPattern.compile("a*").matches("ab")).as("* is a wildcard only as a whole word").isFalse();
        assertThat(RoutingKeyPattern.compile("#").matches(null)).isFalse();
    }

    @Test
    void badBindingFilesNameTheLine() {
        assertThatThrownBy(() -> Bindings.parse("direct a t1\nqueue x t2\n", "bindings.txt"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("bindings.txt line 2 'queue x t2'")
            .hasMessageContaining("unknown binding type 'queue'");
        assertThatThrownBy(() -> Bindings.parse("topic order.#\n", "b"))
            .hasMessageContaining("b line 1")
            .hasMessageContaining("2 words where 3 are needed");
        assertThat(Bindings.parse("// comment\n\n  topic #.x  t1 \nfanout t2\n", "b").all())
            .containsExactly(Binding.topic("#.x", "t1"), Binding.fanout("t2"));
    }
}
