package io.tributary.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * For random values: parse(format(v)) is v (canonical text is a fixed point), a whole number is accepted exactly
 * when inside the range, and every refusal names key and value.
 */
class ConfigKeyProperties {
    @Property(tries = 300)
    void wholeNumbersAreAcceptedExactlyInsideTheirRange(@ForAll @LongRange(min = -1000, max = 1000) long min,
                                                      @ForAll @IntRange(min = 0, max = 2000) int width,
                                                      @ForAll @LongRange(min = -5000, max = 5000) long value) {
        long max = min + width;
        ConfigKey<Long> key = ConfigKey.longKey("k").inRange(min, max).documentation("K.").build();
        if (value >= min && value <= max) {
            assertThat(key.parse(" " + value + " ")).isEqualTo(value);
            assertThat(key.parse(key.format(value))).isEqualTo(value);
        } else {
            assertThatThrownBy(() -> key.parse(Long.toString(value))).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value " + value + " for configuration k: a whole number in [" + min + ", " + max + "]");
        }
    }

    @Property(tries = 300)
    void decimalsRoundTripThroughTheirText(@ForAll("ratios") double ratio) {
        ConfigKey<Double> key = ConfigKey.doubleKey("r").validator(Validator.inRange(0.0, 1.0)).documentation("R.").build();
        assertThat(key.parse(key.format(ratio))).isEqualTo(ratio);
    }

    @Provide
    Arbitrary<Double> ratios() {
        return Arbitraries.doubles().between(0.0, 1.0);
    }

    @Property(tries = 200)
    void choiceListsNormaliseAnyCaseAndSpacingToACanonicalFixedPoint(@ForAll("policies") List<String> entries) {
        ConfigKey<List<String>> key = ConfigKey.choiceListKey("cleanup.policy", "compact", "delete").documentation("P.").build();
        String typed = String.join(" , ", entries);
        List<String> parsed = key.parse(typed);
        assertThat(parsed).doesNotHaveDuplicates().allMatch(e -> e.equals("compact") || e.equals("delete"));
        assertThat(key.parse(key.format(parsed))).isEqualTo(parsed);
        assertThat(parsed.get(0)).isEqualTo(entries.get(0).toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<List<String>> policies() {
        return Arbitraries.of("compact", "COMPACT", "Delete", "delete", "DeLeTe").list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 200)
    void anyTextIsEitherAcceptedOrRefusedNamingKeyAndValue(@ForAll("texts") String text) {
        ConfigKey<Integer> key = ConfigKey.intKey("segment.index.bytes").inRange(12, Integer.MAX_VALUE).documentation("I.").build();
        try {
            int parsed = key.parse(text);
            assertThat(parsed).isBetween(12, Integer.MAX_VALUE);
            assertThat(Long.parseLong(text.trim())).isEqualTo(parsed);
        } catch (ConfigException e) {
            assertThat(e.key()).isEqualTo("segment.index.bytes");
            assertThat(e.value()).isEqualTo(text);
            assertThat(e.getMessage()).startsWith("Invalid value " + text + " for configuration segment.index.bytes: ")
                .contains("[12, 2147483647]");
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
            Arbitraries.longs().map(v -> Long.toString(v)),
            Arbitraries.integers().between(-20, 100).map(v -> " " + v),
            Arbitraries.strings().ofMaxLength(6));
    }
}
