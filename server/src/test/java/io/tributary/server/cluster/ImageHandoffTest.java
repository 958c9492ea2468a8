package io.tributary.server.cluster;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.record.MetadataRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageHandoffTest {
    private record Seen(MetadataImage image, List<MetadataRecord> records) {
    }

    private static MetadataRecord register(int brokerId) {
        return new MetadataRecord.RegisterBroker(brokerId, brokerId + 100L, List.of(), null, true);
    }

    @Test
    void theNewestImageBeforeAttachIsHandedOverAsASnapshotThenEveryLaterOneInOrder() {
        ImageHandoff handoff = new ImageHandoff();
        MetadataImage first = MetadataImage.EMPTY.apply(register(1));
        MetadataImage second = first.apply(register(2));
        handoff.onImage(first, List.of(register(1)));
        handoff.onImage(second, List.of(register(2)));

        List<Seen> seen = new ArrayList<>();
        handoff.attach((image, records) -> seen.add(new Seen(image, records)));
        MetadataImage third = second.apply(register(3));
        handoff.onImage(third, List.of(register(3)));

        assertThat(seen).containsExactly(new Seen(second, List.of()), new Seen(third, List.of(register(3))));
        assertThat(seen.get(0).image().brokers()).containsOnlyKeys(1, 2);
    }

    @Test
    void nothingHeldMeansNothingHandedOverAtAttach() {
        ImageHandoff handoff = new ImageHandoff();
        List<Seen> seen = new ArrayList<>();
        handoff.attach((image, records) -> seen.add(new Seen(image, records)));
        assertThat(seen).isEmpty();
        MetadataImage one = MetadataImage.EMPTY.apply(register(1));
        handoff.onImage(one, List.of(register(1)));
        assertThat(seen).containsExactly(new Seen(one, List.of(register(1))));
    }

    @Test
    void attachingTwiceIsRefused() {
        ImageHandoff handoff = new ImageHandoff();
        handoff.attach((image, records) -> { });
        assertThatThrownBy(() -> handoff.attach((image, records) -> { })).isInstanceOf(IllegalStateException.class);
    }
}
