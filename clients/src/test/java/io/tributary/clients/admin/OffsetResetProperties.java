package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The targets of offset resets: always readable offsets, and exactly the asked one when it is. */
class OffsetResetProperties {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 3);

    @Provide
    Arbitrary<OffsetReset> resets() {
        return Arbitraries.oneOf(
            Arbitraries.just(OffsetReset.toEarliest()),
            Arbitraries.just(OffsetReset.toLatest()),
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(OffsetReset::toTimestamp),
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(OffsetReset::toOffset),
            Arbitraries.longs().map(OffsetReset::shiftBy));
    }

    @Property(tries = 2000)
    void theTargetIsAlwaysWithinTheLog(@ForAll("resets") OffsetReset reset,
                                       @ForAll @LongRange(min = 0, max = 1_000_000) long earliest,
                                       @ForAll @LongRange(min = 0, max = 1_000_000) long length,
                                       @ForAll @LongRange(min = 0, max = 3_000_000) long committed,
                                       @ForAll @LongRange(min = -1, max = 3_000_000) long atTimestamp) {
        long latest = earliest + length;
        long target = reset.target(PARTITION, committed, earliest, latest, atTimestamp);
        assertThat(target).isBetween(earliest, latest);
    }

    @Property
    void anOffsetInsideTheLogIsTakenAsIs(@ForAll @LongRange(min = 0, max = 1_000_000) long earliest,
                                         @ForAll @LongRange(min = 0, max = 1_000_000) long length,
                                         @ForAll @LongRange(min = 0, max = 1_000_000) long within) {
        Assume.that(within <= length);
        long latest = earliest + length;
        long offset = earliest + within;
        assertThat(OffsetReset.toOffset(offset).target(PARTITION, -1, earliest, latest, -1)).isEqualTo(offset);
        assertThat(OffsetReset.shiftBy(0).target(PARTITION, offset, earliest, latest, -1)).isEqualTo(offset);
        assertThat(OffsetReset.toTimestamp(5).target(PARTITION, -1, earliest, latest, offset)).isEqualTo(offset);
    }

    @Example
    void eachKindMovesWhereItSays() {
        assertThat(OffsetReset.toEarliest().target(PARTITION, 50, 10, 100, -1)).isEqualTo(10);
        assertThat(OffsetReset.toLatest().target(PARTITION, 50, 10, 100, -1)).isEqualTo(100);
        assertThat(OffsetReset.toTimestamp(1).target(PARTITION, 50, 10, 100, -1)).as("no record that new: the log end").isEqualTo(100);
        assertThat(OffsetReset.toOffset(5).target(PARTITION, 50, 10, 100, -1)).isEqualTo(10);
        assertThat(OffsetReset.shiftBy(-45).target(PARTITION, 50, 10, 100, -1)).isEqualTo(10);
        assertThat(OffsetReset.shiftBy(30).target(PARTITION, 50, 10, 100, -1)).isEqualTo(80);
        assertThat(OffsetReset.shiftBy(Long.MAX_VALUE).target(PARTITION, 50, 10, 100, -1)).isEqualTo(100);
        assertThat(OffsetReset.shiftBy(Long.MIN_VALUE).target(PARTITION, 50, 10, 100, -1)).isEqualTo(10);
    }

    @Example
    void badArgumentsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> OffsetReset.toOffset(-3)).hasMessage("Offset -3 is negative; offsets start at 0");
        assertThatThrownBy(() -> OffsetReset.toTimestamp(-1)).hasMessageContaining("Timestamp -1 is negative");
        assertThatThrownBy(() -> OffsetReset.shiftBy(2).target(PARTITION, -1, 0, 10, -1))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("orders-3");
    }
}
